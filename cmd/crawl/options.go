package main

import (
	"fmt"
	"math"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/crawlhq/crawl/internal/crawler"
	"github.com/crawlhq/crawl/internal/fetch"
)

// options are the flags as given, before they are checked.
type options struct {
	seedFiles   []string
	concurrency int
	perHost     int
	rate        float64
	maxDepth    int
	maxPages    int
	scope       string
	include     []string
	exclude     []string
	timeout     seconds
	retries     int
	maxTime     seconds
	maxBody     size
	userAgent   string
	noRobots    bool
	headers     []string
	output      string
	progress    string
	quiet       bool
	verbose     bool
	cpuProfile  string
	memProfile  string

	state        string
	recrawlAfter seconds
	onlyChanged  bool
	frontierURL  string
	crawlID      string
	leaseTTL     seconds
}

func defaultOptions() *options {
	return &options{
		concurrency: 32,
		perHost:     2,
		rate:        2,
		maxDepth:    5,
		scope:       "host",
		timeout:     seconds(10 * time.Second),
		retries:     2,
		maxBody:     10 << 20,
		userAgent:   "crawl/" + version + " (+" + projectURL + ")",
		progress:    "auto",
	}
}

func (o *options) bind(fs *pflag.FlagSet) {
	fs.SortFlags = false
	fs.StringArrayVar(&o.seedFiles, "seeds", nil, "read seed URLs from `FILE`, one per line (- for stdin); repeatable")
	fs.IntVarP(&o.concurrency, "concurrency", "c", o.concurrency, "fetches in flight, all hosts together (>= 1)")
	fs.IntVar(&o.perHost, "per-host", o.perHost, "fetches in flight to one host at most (>= 1)")
	fs.Float64Var(&o.rate, "rate", o.rate, "requests per second to one host (0 = unlimited); robots.txt Crawl-delay only slows it")
	fs.IntVarP(&o.maxDepth, "max-depth", "d", o.maxDepth, "link depth to follow; seeds are 0 (-1 = no limit)")
	fs.IntVar(&o.maxPages, "max-pages", o.maxPages, "stop after this many records (0 = no limit)")
	fs.StringVar(&o.scope, "scope", o.scope, "links to follow: host (the seed's host), domain (its registrable domain) or any")
	fs.StringArrayVar(&o.include, "include", nil, "follow only URLs matching this `regexp` (repeatable: any may match)")
	fs.StringArrayVar(&o.exclude, "exclude", nil, "do not follow URLs matching this `regexp` (repeatable)")
	fs.Var(&o.timeout, "timeout", "time for one attempt, from connect to the end of the body")
	fs.IntVar(&o.retries, "retries", o.retries, "further attempts after a network error, timeout, 408, 429, 500, 502, 503 or 504")
	fs.Var(&o.maxTime, "max-time", "stop the whole crawl after this long, gracefully (0 = no limit)")
	fs.Var(&o.maxBody, "max-body", "most body bytes read, after decompression (B, KB, KiB, MB, MiB, GB, GiB)")
	fs.StringVar(&o.userAgent, "user-agent", o.userAgent, "User-Agent header; its product token is the robots.txt user-agent")
	fs.BoolVar(&o.noRobots, "ignore-robots", false, "skip robots.txt, meta robots and rel=nofollow")
	fs.StringArrayVarP(&o.headers, "header", "H", nil, "extra request header `\"Name: value\"` (repeatable)")
	fs.StringVarP(&o.output, "output", "o", "", "write JSON lines to `FILE` instead of stdout")
	fs.StringVar(&o.progress, "progress", o.progress, "progress bar on stderr: auto (when stderr is a terminal), always, never")
	fs.BoolVarP(&o.quiet, "quiet", "q", false, "log less: errors only, no summary")
	fs.BoolVarP(&o.verbose, "verbose", "v", false, "log more: every record and retry")
	fs.StringVar(&o.state, "state", "", "keep the crawl's state in `DIR`: resume after any stop, recrawl with --recrawl-after")
	fs.Var(&o.recrawlAfter, "recrawl-after", "with --state: fetch known URLs again when their last fetch is older than this (e.g. 24h)")
	fs.BoolVar(&o.onlyChanged, "only-changed", false, "with --state: leave out records of pages that did not change")
	fs.StringVar(&o.frontierURL, "frontier", "", "share the crawl with other processes through Redis at `redis://HOST:PORT/DB`")
	fs.StringVar(&o.crawlID, "crawl-id", "", "with --frontier: the shared crawl's `NAME` (default: derived from the seeds)")
	fs.Var(&o.leaseTTL, "lease-ttl", "with --frontier: how long a claimed URL stays claimed by a process that stops answering")
	_ = fs.MarkHidden("lease-ttl") // for tests; the default (2m) suits real crawls
	// Profiling, for developers: hidden from --help.
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile to `FILE`")
	fs.StringVar(&o.memProfile, "memprofile", "", "write a heap profile to `FILE` at the end")
	_ = fs.MarkHidden("cpuprofile")
	_ = fs.MarkHidden("memprofile")
}

// config checks the options and turns them into the crawler's settings
// (seeds and output aside). Every failure is a usage error naming the flag
// and the value.
func (o *options) config() (crawler.Config, error) {
	var cfg crawler.Config
	switch {
	case o.concurrency < 1:
		return cfg, usagef("invalid value %d for --concurrency: must be at least 1", o.concurrency)
	case o.perHost < 1:
		return cfg, usagef("invalid value %d for --per-host: must be at least 1", o.perHost)
	case o.rate < 0 || o.rate != o.rate:
		return cfg, usagef("invalid value %v for --rate: must be 0 (unlimited) or more", o.rate)
	case o.maxDepth < -1:
		return cfg, usagef("invalid value %d for --max-depth: must be -1 (no limit) or more", o.maxDepth)
	case o.maxPages < 0:
		return cfg, usagef("invalid value %d for --max-pages: must be 0 (no limit) or more", o.maxPages)
	case o.retries < 0:
		return cfg, usagef("invalid value %d for --retries: must be 0 or more", o.retries)
	case o.maxTime < 0:
		return cfg, usagef("invalid value %s for --max-time: must be 0 (no limit) or more", o.maxTime)
	case o.timeout <= 0:
		return cfg, usagef("invalid value %s for --timeout: must be more than 0", o.timeout)
	case o.maxBody <= 0:
		return cfg, usagef("invalid value %s for --max-body: must be more than 0", o.maxBody)
	case o.quiet && o.verbose:
		return cfg, usagef("--quiet and --verbose cannot be used together")
	case o.recrawlAfter < 0:
		return cfg, usagef("invalid value %s for --recrawl-after: must be more than 0", o.recrawlAfter)
	case o.recrawlAfter > 0 && o.state == "":
		return cfg, usagef("--recrawl-after needs --state DIR")
	case o.onlyChanged && o.state == "":
		return cfg, usagef("--only-changed needs --state DIR")
	case o.state != "" && o.frontierURL != "":
		return cfg, usagef("--state and --frontier cannot be used together")
	case o.crawlID != "" && o.frontierURL == "":
		return cfg, usagef("--crawl-id needs --frontier")
	}
	if err := o.checkShared(); err != nil {
		return cfg, err
	}
	switch o.progress {
	case "auto", "always", "never":
	default:
		return cfg, usagef("invalid value %q for --progress: want auto, always or never", o.progress)
	}
	scope, err := parseScope(o.scope)
	if err != nil {
		return cfg, err
	}
	include, err := compileAll("--include", o.include)
	if err != nil {
		return cfg, err
	}
	exclude, err := compileAll("--exclude", o.exclude)
	if err != nil {
		return cfg, err
	}
	header, err := parseHeaders(o.headers)
	if err != nil {
		return cfg, err
	}
	if strings.TrimSpace(o.userAgent) == "" {
		return cfg, usagef("invalid value %q for --user-agent: must not be empty", o.userAgent)
	}
	return crawler.Config{
		Concurrency:  o.concurrency,
		PerHost:      o.perHost,
		Rate:         o.rate,
		MaxDepth:     o.maxDepth,
		MaxPages:     o.maxPages,
		MaxTime:      time.Duration(o.maxTime),
		Scope:        scope,
		Include:      include,
		Exclude:      exclude,
		IgnoreRobots: o.noRobots,
		Fetch: fetch.Config{
			UserAgent:   o.userAgent,
			Header:      header,
			Timeout:     time.Duration(o.timeout),
			MaxBody:     int64(o.maxBody),
			IdlePerHost: o.perHost,
		},
		Retry: fetch.Policy{Retries: o.retries},
	}, nil
}

func parseScope(s string) (crawler.Scope, error) {
	switch s {
	case "host":
		return crawler.ScopeHost, nil
	case "domain":
		return crawler.ScopeDomain, nil
	case "any":
		return crawler.ScopeAny, nil
	}
	return 0, usagef("invalid value %q for --scope: want host, domain or any", s)
}

func compileAll(flag string, exprs []string) ([]*regexp.Regexp, error) {
	var res []*regexp.Regexp
	for _, e := range exprs {
		re, err := regexp.Compile(e)
		if err != nil {
			return nil, usagef("invalid value %q for %s: %v", e, flag, err)
		}
		res = append(res, re)
	}
	return res, nil
}

func parseHeaders(hs []string) (http.Header, error) {
	h := http.Header{}
	for _, s := range hs {
		name, value, ok := strings.Cut(s, ":")
		name = strings.TrimSpace(name)
		if !ok || name == "" || strings.ContainsAny(name, " \t\r\n") || strings.ContainsAny(value, "\r\n") {
			return nil, usagef("invalid value %q for --header: want \"Name: value\"", s)
		}
		h.Add(name, strings.TrimSpace(value))
	}
	return h, nil
}

// seconds is a duration flag that takes Go durations ("1m30s", "500ms")
// or a plain number of seconds, as wget does.
type seconds time.Duration

func (d seconds) String() string { return time.Duration(d).String() }
func (d *seconds) Type() string  { return "duration" }
func (d *seconds) Set(s string) error {
	if v, err := time.ParseDuration(s); err == nil {
		*d = seconds(v)
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) || math.Abs(f) > 1e9 {
		return fmt.Errorf("want a duration such as 10s, 1m or 500ms")
	}
	*d = seconds(f * float64(time.Second))
	return nil
}
