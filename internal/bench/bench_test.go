package bench

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/crawlhq/crawl/internal/testsite"
)

func TestFetchLoop(t *testing.T) {
	srv, err := testsite.Serve(testsite.SiteConfig{Pages: 300, Size: 2048, Links: 3}, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	failed, err := FetchLoop(context.Background(), srv.URLs[0], 300, 8)
	if err != nil || failed != 0 {
		t.Fatalf("FetchLoop = %d failed, %v", failed, err)
	}
	if err := srv.Sites[0].CheckOnce(); err != nil {
		t.Error(err)
	}
	if failed, _ := FetchLoop(context.Background(), srv.URLs[0], 301, 8); failed != 1 {
		t.Errorf("FetchLoop past the last page: %d failed, want 1 (the 404)", failed)
	}
}

func TestLineCounterMarksTenths(t *testing.T) {
	l := &lineCounter{start: time.Now(), records: 100}
	for range 100 {
		l.Write([]byte("{}\n"))
	}
	lines, marks := l.result()
	if lines != 100 || len(marks) != 11 {
		t.Fatalf("%d lines, %d marks; want 100, 11", lines, len(marks))
	}
	if rates := tenths(marks, 100); len(rates) != 10 {
		t.Errorf("tenths = %v, want 10 rates", rates)
	}
	if rates := tenths(marks[:5], 100); rates != nil {
		t.Errorf("tenths of an unfinished crawl = %v, want nil", rates)
	}
}

func TestMeasure(t *testing.T) {
	r := measure(context.Background(), command{path: "sh", args: []string{"-c", "echo a; echo b; echo oops >&2; exit 3"}, records: 2}, time.Minute)
	if r.failure == nil || r.lines != 2 || r.stderr != "oops" || r.maxRSS <= 0 {
		t.Errorf("measure = %d lines, stderr %q, rss %d, failure %v; want 2, oops, > 0, exit status 3", r.lines, r.stderr, r.maxRSS, r.failure)
	}
	r = measure(context.Background(), command{path: "sh", args: []string{"-c", "sleep 60"}}, 50*time.Millisecond)
	if r.failure == nil || !strings.Contains(r.failure.Error(), "killed") || r.wall > 10*time.Second {
		t.Errorf("measure of a hung child: %v after %v, want killed at once", r.failure, r.wall)
	}
}

func TestMedianOf(t *testing.T) {
	m := medianOf([]Sample{
		{PagesPerS: 30, MaxRSS: 3, Complete: true, Coverage: "all"},
		{PagesPerS: 10, MaxRSS: 1, Complete: false, Coverage: "9/10 pages"},
		{PagesPerS: 99, Error: "exit status 1"},
		{PagesPerS: 20, MaxRSS: 2, Complete: true, Coverage: "all"},
	})
	if m.PagesPerS != 20 || m.MaxRSS != 2 || m.Complete || m.Coverage != "9/10 pages" {
		t.Errorf("median = %+v; want 20 pages/s, 2 bytes, incomplete", m)
	}
	if m := medianOf([]Sample{{Error: "x"}}); m != nil {
		t.Errorf("median of failed runs = %+v, want nil", m)
	}
	if got := median([]float64{4, 1, 3, 2}); got != 2.5 {
		t.Errorf("median of 1..4 = %v, want 2.5", got)
	}
}

func TestStallProbeStops(t *testing.T) {
	p := startProbe(context.Background())
	timer := time.NewTimer(3 * probeTick)
	<-timer.C
	if stall := p.stop(); stall < 0 || stall > time.Minute {
		t.Errorf("stall = %v", stall)
	}
}
