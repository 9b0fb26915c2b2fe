package bench

import (
	"context"
	"sync"
	"time"
)

// probeTick is how often the stall probe wakes up.
const probeTick = 10 * time.Millisecond

// suspectStall is the timer lateness past which a run's numbers are
// reported as suspect.
const suspectStall = 100 * time.Millisecond

// stallProbe measures how late a timer in this process wakes up while a
// child runs. On a quiet machine it is well under a millisecond; when the
// machine is overloaded (other jobs, a starved virtual machine) it reaches
// seconds, and every time measured meanwhile, a polite crawl's above all,
// says more about the machine than about the crawler.
type stallProbe struct {
	cancel context.CancelFunc
	wg     sync.WaitGroup
	worst  time.Duration // written by the probe goroutine, read after wg.Wait
}

func startProbe(ctx context.Context) *stallProbe {
	ctx, cancel := context.WithCancel(ctx)
	p := &stallProbe{cancel: cancel}
	p.wg.Go(func() {
		t := time.NewTimer(probeTick)
		defer t.Stop()
		prev := time.Now()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				// Not the time received, which is when the timer
				// should have fired, however late it was delivered.
				now := time.Now()
				p.worst = max(p.worst, now.Sub(prev)-probeTick)
				prev = now
				t.Reset(probeTick)
			}
		}
	})
	return p
}

// stop ends the probe and returns the worst lateness it saw.
func (p *stallProbe) stop() time.Duration {
	p.cancel()
	p.wg.Wait()
	return p.worst
}
