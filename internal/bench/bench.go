// Package bench measures the crawl binary against a synthetic site served
// from this process (internal/testsite), beside a fetch-only loop and
// other crawlers, and reports pages/s, CPU per page and peak memory.
//
// Every program measured runs as a child process, so its CPU time and
// peak RSS come from the kernel's rusage of that process alone; the site
// server runs here and shares the machine's CPUs with it, as a crawl of a
// local site would. Pages are counted by the server: a page is crawled
// when it was requested, whichever tool requested it.
package bench

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/crawlhq/crawl/internal/testsite"
)

// Config says what to measure. Fields are set before Run and only read
// afterwards.
type Config struct {
	Bin         string        `json:"bin"`        // directory holding crawl and colly-crawl
	Self        string        `json:"-"`          // this program; "Self fetchloop" is the fetch-only limit
	Scenarios   []string      `json:"scenarios"`  // any of throughput, polite, scale
	Peers       bool          `json:"peers"`      // run colly and wget2 in the throughput row
	Runs        int           `json:"runs"`       // runs of each throughput and polite tool
	ScaleRuns   int           `json:"scale_runs"` // runs of the scale row
	Concurrency int           `json:"concurrency"`
	Pages       int           `json:"pages"` // throughput site
	Size        int           `json:"size"`
	Links       int           `json:"links"`
	Hosts       int           `json:"hosts"` // polite site
	HostPages   int           `json:"host_pages"`
	Rate        float64       `json:"rate"`
	Latency     time.Duration `json:"latency_ns"`
	ScalePages  int           `json:"scale_pages"` // scale site
	ScaleSize   int           `json:"scale_size"`
	CrawlArgs   []string      `json:"crawl_args,omitempty"` // more flags for every crawl run
	Timeout     time.Duration `json:"timeout_ns"`           // one child process at most
	Log         io.Writer     `json:"-"`                    // progress, one line per run
}

// Scenario names.
const (
	Throughput = "throughput"
	Polite     = "polite"
	Scale      = "scale"
)

// Run measures the scenarios of cfg. A tool that fails or is missing is
// a row saying so; Run returns an error only when a site cannot be served
// or ctx ends.
func Run(ctx context.Context, cfg Config) (*Results, error) {
	res := &Results{
		Date:     time.Now().UTC().Format(time.RFC3339),
		Go:       runtime.Version(),
		Platform: runtime.GOOS + "/" + runtime.GOARCH,
		CPUs:     runtime.NumCPU(),
		Load:     loadAvg(),
		Config:   cfg,
	}
	for _, run := range []struct {
		name string
		fn   func(context.Context, *Config) (*Scenario, error)
	}{{Throughput, throughput}, {Polite, polite}, {Scale, scale}} {
		if !slices.Contains(cfg.Scenarios, run.name) {
			continue
		}
		s, err := run.fn(ctx, &cfg)
		if err != nil {
			return nil, err
		}
		res.Scenarios = append(res.Scenarios, s)
	}
	res.Targets = targets(res, &cfg)
	return res, ctx.Err()
}

// throughput crawls one site as fast as possible with crawl, with and
// without robots.txt, the fetch-only loop and the peers, interleaving
// their runs so that a noisy neighbour hurts them alike.
func throughput(ctx context.Context, cfg *Config) (*Scenario, error) {
	site := testsite.SiteConfig{Pages: cfg.Pages, Size: cfg.Size, Links: cfg.Links}
	srv, err := testsite.Serve(site, "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	defer srv.Close()
	fast := cfg.fastFlags()
	tools := []tool{
		cfg.crawlTool(toolCrawl, cfg.Pages, slices.Concat(fast, []string{"--ignore-robots"})...),
		cfg.crawlTool(toolCrawlRobots, cfg.Pages, fast...),
		cfg.fetchTool(srv.URLs[0], cfg.Pages),
	}
	if cfg.Peers {
		tools = append(tools, cfg.collyTool(), cfg.wget2Tool())
	}
	s := &Scenario{
		Name:  Throughput,
		Setup: fmt.Sprintf("%d pages x %d B, %d links each, no latency, -c %d", cfg.Pages, cfg.Size, cfg.Links, cfg.Concurrency),
		Runs:  cfg.Runs,
	}
	return s, cfg.measureAll(ctx, s, srv, tools, cfg.Runs)
}

// polite crawls many small hosts, each at a limited rate: a perfect
// crawler takes HostPages/Rate seconds, all hosts in parallel.
func polite(ctx context.Context, cfg *Config) (*Scenario, error) {
	site := testsite.SiteConfig{Pages: cfg.HostPages, Size: cfg.Size, Links: cfg.Links, Latency: cfg.Latency}
	srv, err := testsite.ServeLoopback(cfg.Hosts, site)
	if err != nil {
		return nil, err
	}
	defer srv.Close()
	flags := []string{"--rate", strconv.FormatFloat(cfg.Rate, 'g', -1, 64), "--per-host", "2",
		"-c", strconv.Itoa(cfg.Concurrency), "--max-depth", "-1", "--progress", "never", "-q"}
	s := &Scenario{
		Name: Polite,
		Setup: fmt.Sprintf("%d hosts x %d pages, %v latency, crawl %s",
			cfg.Hosts, cfg.HostPages, cfg.Latency, joinArgs(flags)),
		Runs:   cfg.Runs,
		IdealS: float64(cfg.HostPages) / cfg.Rate,
	}
	tools := []tool{cfg.crawlTool(toolCrawl, cfg.Hosts*cfg.HostPages, flags...)}
	return s, cfg.measureAll(ctx, s, srv, tools, cfg.Runs)
}

// scale crawls a large site of small pages, noting pages/s in each tenth
// of the crawl and peak RSS per URL known.
func scale(ctx context.Context, cfg *Config) (*Scenario, error) {
	site := testsite.SiteConfig{Pages: cfg.ScalePages, Size: cfg.ScaleSize, Links: cfg.Links}
	srv, err := testsite.Serve(site, "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	defer srv.Close()
	s := &Scenario{
		Name:  Scale,
		Setup: fmt.Sprintf("%d pages x %d B, %d links each, -c %d", cfg.ScalePages, cfg.ScaleSize, cfg.Links, cfg.Concurrency),
		Runs:  cfg.ScaleRuns,
	}
	tools := []tool{cfg.crawlTool(toolCrawl, cfg.ScalePages, slices.Concat(cfg.fastFlags(), []string{"--ignore-robots"})...)}
	return s, cfg.measureAll(ctx, s, srv, tools, cfg.ScaleRuns)
}

// measureAll runs each tool runs times against srv, one run of each in
// turn, and fills s with the samples and their medians.
func (cfg *Config) measureAll(ctx context.Context, s *Scenario, srv *testsite.Server, tools []tool, runs int) error {
	seeds := make([]string, len(srv.URLs))
	for i, u := range srv.URLs {
		seeds[i] = u + testsite.Path(0)
	}
	for _, t := range tools {
		s.Tools = append(s.Tools, &Tool{Name: t.name, Version: t.version, Skipped: t.skip})
	}
	for r := range runs {
		for i, t := range tools {
			if t.skip != "" {
				continue
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			sample, cmd := cfg.measureOne(ctx, srv, t, seeds)
			s.Tools[i].Command = cmd
			s.Tools[i].Runs = append(s.Tools[i].Runs, sample)
			cfg.logf("%s: run %d/%d %-13s %s", s.Name, r+1, runs, t.name, brief(sample))
		}
	}
	for _, t := range s.Tools {
		t.Median = medianOf(t.Runs)
	}
	return nil
}

// measureOne runs t once against srv's sites and returns what it did,
// and its command line.
func (cfg *Config) measureOne(ctx context.Context, srv *testsite.Server, t tool, seeds []string) (Sample, string) {
	c, cleanup, err := t.command(seeds)
	if err != nil {
		return Sample{Error: err.Error()}, ""
	}
	if cleanup != nil {
		defer cleanup()
	}
	srv.Reset()
	probe := startProbe(ctx)
	r := measure(ctx, c, cfg.Timeout)
	stall := probe.stop()
	cov := srv.Coverage()
	s := Sample{
		WallS:    r.wall.Seconds(),
		StallMs:  float64(stall.Microseconds()) / 1000,
		MaxRSS:   r.maxRSS,
		Pages:    cov.Hit,
		Requests: cov.PageHits,
		Complete: cov.Complete(),
		Summary:  summary(cov),
		Coverage: cov.String(),
	}
	if cov.Hit > 0 {
		s.PagesPerS = float64(cov.Hit) / r.wall.Seconds()
		s.CPUPer1k = r.cpu.Seconds() / float64(cov.Hit) * 1000
		s.BytesPerURL = float64(r.maxRSS) / float64(cov.Hit)
	}
	if c.records > 0 {
		s.Records = r.lines
		s.TenthsPerS = tenths(r.marks, c.records)
		if r.lines != int64(cov.Hit) {
			s.Complete = false
			s.Summary += fmt.Sprintf(", %d records", r.lines)
			s.Coverage += fmt.Sprintf(", %d records", r.lines)
		}
	}
	if r.failure != nil {
		s.Error, s.Stderr = r.failure.Error(), r.stderr
	}
	return s, c.String()
}

// summary is cov in a few words, without the pages it lists.
func summary(cov testsite.Coverage) string {
	if cov.Complete() {
		return fmt.Sprintf("all %d pages once", cov.Pages)
	}
	s := fmt.Sprintf("%d/%d pages", cov.Hit, cov.Pages)
	if extra := cov.PageHits - int64(cov.Hit); extra > 0 {
		s += fmt.Sprintf(", %d repeat requests", extra)
	}
	return s
}

// tenths turns the times at which the first line and each tenth of
// records lines were written into pages/s per tenth; nil unless all ten
// tenths were reached.
func tenths(marks []time.Duration, records int) []float64 {
	if len(marks) != 11 {
		return nil
	}
	rates := make([]float64, 10)
	for k := 1; k <= 10; k++ {
		lines := k*records/10 - max((k-1)*records/10, 1)
		if dt := (marks[k] - marks[k-1]).Seconds(); dt > 0 {
			rates[k-1] = float64(lines) / dt
		}
	}
	return rates
}

// loadAvg returns the 1, 5 and 15 minute load averages, or "" where
// /proc/loadavg does not exist.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return ""
}

func (cfg *Config) logf(format string, args ...any) {
	if cfg.Log != nil {
		fmt.Fprintf(cfg.Log, format+"\n", args...)
	}
}
