package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
)

// gcHeadroom is how much the heap may grow past its live size before a
// collection. Go's default (GOGC=100) lets it double, which at a million
// known URLs doubles the memory the crawl needs; most of that memory is
// the frontier's encoded queues and the visited set, which hold no
// pointers and cost the collector almost nothing to keep, so collecting
// more often costs little.
const gcHeadroom = 8 << 20

// tuneGC keeps the heap's growth between collections near gcHeadroom:
// after every collection it sets GOGC to headroom ÷ live heap, between 10
// and 200. A GOGC set in the environment turns it off.
func tuneGC() {
	if _, ok := os.LookupEnv("GOGC"); ok {
		return
	}
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	var arm func()
	arm = func() {
		runtime.SetFinalizer(new([16]byte), func(*[16]byte) {
			metrics.Read(sample)
			if live := sample[0].Value.Uint64(); live > 0 {
				debug.SetGCPercent(int(min(max(100*gcHeadroom/live, 10), 200)))
			}
			arm()
		})
	}
	arm()
}
