// Command colly-crawl crawls a site with gocolly/colly, configured as
// crawl is in the throughput benchmark, so that cmd/crawlbench can
// compare the two: asynchronous, 64 requests in flight, robots.txt
// ignored (colly's default), no depth limit, the seed's host only, every
// a[href] followed. It prints the number of pages fetched.
//
// It lives in a module of its own so that crawl's go.mod does not gain
// colly and its dependencies.
package main

import (
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"sync/atomic"
	"time"

	"github.com/gocolly/colly/v2"
)

func main() {
	parallel := flag.Int("c", 64, "requests in flight")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: colly-crawl [-c N] URL")
		os.Exit(2)
	}
	seed, err := url.Parse(flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, "colly-crawl:", err)
		os.Exit(2)
	}
	pages, errs, err := crawl(seed, *parallel)
	if err != nil {
		fmt.Fprintln(os.Stderr, "colly-crawl:", err)
		os.Exit(1)
	}
	fmt.Printf("%d pages, %d errors\n", pages, errs)
}

func crawl(seed *url.URL, parallel int) (pages, errs int64, err error) {
	c := colly.NewCollector(
		colly.Async(true),
		colly.MaxDepth(0), // no limit
		colly.AllowedDomains(seed.Hostname()),
	)
	// Fair to colly: keep as many idle connections as requests in flight
	// (net/http's default keeps 2 per host, and would reconnect).
	c.WithTransport(&http.Transport{
		MaxIdleConns:        parallel,
		MaxIdleConnsPerHost: parallel,
		IdleConnTimeout:     90 * time.Second,
	})
	if err := c.Limit(&colly.LimitRule{DomainGlob: "*", Parallelism: parallel}); err != nil {
		return 0, 0, err
	}
	var nPages, nErrs atomic.Int64
	c.OnResponse(func(*colly.Response) { nPages.Add(1) })
	c.OnError(func(*colly.Response, error) { nErrs.Add(1) })
	c.OnHTML("a[href]", func(e *colly.HTMLElement) {
		_ = e.Request.Visit(e.Attr("href")) // already visited, or out of domain
	})
	if err := c.Visit(seed.String()); err != nil {
		return 0, 0, err
	}
	c.Wait()
	return nPages.Load(), nErrs.Load(), nil
}
