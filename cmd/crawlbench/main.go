// Command crawlbench measures bin/crawl against a synthetic site served
// from this process, beside a fetch-only loop, colly and wget2, prints a
// table and writes the numbers as JSON. `make bench` builds the binaries
// and runs it; see the README's Benchmarks section.
//
//	crawlbench [flags]                  run the benchmarks
//	crawlbench fetchloop [-c N] BASE N  GET BASE/p/0 .. BASE/p/N-1 once each (the fetch-only limit)
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/crawlhq/crawl/internal/bench"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	args := os.Args[1:]
	var code int
	if len(args) > 0 && args[0] == "fetchloop" {
		code = fetchLoop(ctx, args[1:], os.Stdout, os.Stderr)
	} else {
		code = runBench(ctx, args, os.Stdout, os.Stderr)
	}
	os.Exit(code)
}

func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("crawlbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := bench.Config{Log: stderr}
	fs.StringVar(&cfg.Bin, "bin", "bin", "directory holding crawl and colly-crawl")
	only := fs.String("only", "throughput,polite,scale", "scenarios to run, comma-separated")
	fs.BoolVar(&cfg.Peers, "peers", true, "also run colly and wget2 in the throughput row")
	fs.IntVar(&cfg.Runs, "runs", 3, "runs of each tool in the throughput and polite rows (median reported)")
	fs.IntVar(&cfg.ScaleRuns, "scale-runs", 1, "runs of the scale row")
	fs.IntVar(&cfg.Concurrency, "c", 64, "requests in flight for every tool (crawl -c and --per-host, colly parallelism, wget2 --max-threads)")
	fs.IntVar(&cfg.Pages, "pages", 20000, "throughput: pages of the site")
	fs.IntVar(&cfg.Size, "size", 8192, "throughput and polite: bytes per page")
	fs.IntVar(&cfg.Links, "links", 10, "links per page")
	fs.IntVar(&cfg.Hosts, "hosts", 100, "polite: hosts (127.0.0.2, 127.0.0.3, ...)")
	fs.IntVar(&cfg.HostPages, "host-pages", 100, "polite: pages per host")
	fs.Float64Var(&cfg.Rate, "rate", 20, "polite: crawl --rate, requests per second per host")
	fs.DurationVar(&cfg.Latency, "latency", 5*time.Millisecond, "polite: added to every response")
	fs.IntVar(&cfg.ScalePages, "scale-pages", 1000000, "scale: pages of the site")
	fs.IntVar(&cfg.ScaleSize, "scale-size", 512, "scale: bytes per page")
	fs.DurationVar(&cfg.Timeout, "timeout", 20*time.Minute, "kill a child process after this long")
	crawlArgs := fs.String("crawl-args", "", "more flags for every crawl run, space-separated (e.g. \"--timeout 30s\")")
	jsonPath := fs.String("json", "", "write the results here (default bench/results/DATE-COMMIT.json)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	cfg.Scenarios = strings.Split(*only, ",")
	cfg.CrawlArgs = strings.Fields(*crawlArgs)
	if err := check(&cfg, fs.NArg()); err != nil {
		fmt.Fprintln(stderr, "crawlbench:", err)
		return 2
	}
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintln(stderr, "crawlbench:", err)
		return 1
	}
	cfg.Self = self

	res, err := bench.Run(ctx, cfg)
	if err != nil {
		fmt.Fprintln(stderr, "crawlbench:", err)
		return 1
	}
	res.Commit = commit()
	fmt.Fprintln(stderr)
	bench.Print(stdout, res)
	path := *jsonPath
	if path == "" {
		date := time.Now().Format("20060102-150405")
		path = filepath.Join("bench", "results", date+"-"+res.Commit+".json")
	}
	if err := res.WriteJSON(path); err != nil {
		fmt.Fprintln(stderr, "crawlbench:", err)
		return 1
	}
	fmt.Fprintln(stdout, "\nresults written to", path)
	return 0
}

func check(cfg *bench.Config, nargs int) error {
	switch {
	case nargs > 0:
		return fmt.Errorf("unexpected argument (flags only; see -h)")
	case cfg.Runs < 1 || cfg.ScaleRuns < 1:
		return fmt.Errorf("-runs and -scale-runs must be at least 1")
	case cfg.Pages < 1 || cfg.HostPages < 1 || cfg.ScalePages < 10 || cfg.Hosts < 1:
		return fmt.Errorf("-pages, -host-pages and -hosts must be at least 1, -scale-pages at least 10")
	case cfg.Concurrency < 1 || cfg.Links < 1 || cfg.Rate <= 0:
		return fmt.Errorf("-c, -links and -rate must be more than 0")
	}
	for _, s := range cfg.Scenarios {
		if s != bench.Throughput && s != bench.Polite && s != bench.Scale {
			return fmt.Errorf("unknown scenario %q in -only: want throughput, polite or scale", s)
		}
	}
	return nil
}

// commit is the short hash of HEAD, with -dirty when the tree has
// changes, or "nocommit".
func commit() string {
	out, err := exec.Command("git", "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return "nocommit"
	}
	sha := strings.TrimSpace(string(out))
	if st, err := exec.Command("git", "status", "--porcelain", "--untracked-files=no").Output(); err == nil && len(st) > 0 {
		sha += "-dirty"
	}
	return sha
}

func fetchLoop(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("crawlbench fetchloop", flag.ContinueOnError)
	fs.SetOutput(stderr)
	workers := fs.Int("c", 64, "goroutines")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	n, err := strconv.Atoi(fs.Arg(1))
	if fs.NArg() != 2 || err != nil || n < 0 || *workers < 1 {
		fmt.Fprintln(stderr, "usage: crawlbench fetchloop [-c N] BASE-URL PAGES")
		return 2
	}
	failed, err := bench.FetchLoop(ctx, fs.Arg(0), n, *workers)
	fmt.Fprintf(stdout, "%d fetched, %d failed\n", int64(n)-failed, failed)
	if err != nil || failed > 0 {
		fmt.Fprintln(stderr, "crawlbench fetchloop:", err, "failed:", failed)
		return 1
	}
	return 0
}
