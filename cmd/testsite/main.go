// Command testsite serves the synthetic site of internal/testsite, for
// trying the crawler by hand or timing it with other tools:
//
//	go run ./cmd/testsite -pages 20000 -size 8192 -links 10 -addr 127.0.0.1:8080
//
// It prints the URL of page 0 of every host, then serves until
// interrupted, and says on exit which pages were requested.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/crawlhq/crawl/internal/testsite"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("testsite", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg testsite.SiteConfig
	fs.IntVar(&cfg.Pages, "pages", 20000, "pages per host")
	fs.IntVar(&cfg.Size, "size", 8192, "body bytes per page")
	fs.IntVar(&cfg.Links, "links", 10, "links per page")
	fs.DurationVar(&cfg.Latency, "latency", 0, "added to every response")
	addr := fs.String("addr", "127.0.0.1:8080", "listen address (one host)")
	hosts := fs.Int("hosts", 1, "serve this many hosts, on 127.0.0.2, 127.0.0.3, ... (random ports; -addr is then ignored)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "testsite: unexpected argument %q\n", fs.Arg(0))
		return 2
	}

	var srv *testsite.Server
	var err error
	if *hosts > 1 {
		srv, err = testsite.ServeLoopback(*hosts, cfg)
	} else {
		srv, err = testsite.Serve(cfg, *addr)
	}
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	for _, u := range srv.URLs {
		fmt.Fprintln(stdout, u+testsite.Path(0))
	}
	fmt.Fprintf(stderr, "testsite: %d host(s) x %d pages of %d bytes, %d links each, latency %v; Ctrl-C stops\n",
		len(srv.URLs), cfg.Pages, cfg.Size, cfg.Links, cfg.Latency)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	srv.Close()
	fmt.Fprintf(stderr, "testsite: %s\n", srv.Coverage())
	return 0
}
