package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"syscall"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/crawlhq/crawl/internal/crawler"
)

// crawl checks everything it was given, then runs the crawl. Nothing is
// fetched, and no output file is made, unless every check passes.
func crawl(ctx context.Context, o *options, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	cfg, err := o.config()
	if err != nil {
		return err
	}
	seeds, err := readSeeds(args, o.seedFiles, stdin)
	if err != nil {
		return err
	}
	cfg.Seeds = seeds
	var state *crawlState
	endRun := func(crawler.Snapshot, bool) error { return nil }
	if o.state != "" {
		if state, err = openState(o, &cfg, seeds); err != nil {
			return err
		}
		endRun = state.end
	}

	level := slog.LevelWarn
	switch {
	case o.quiet:
		level = slog.LevelError
	case o.verbose:
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	cfg.Log = log
	if o.frontierURL != "" {
		leave, err := openShared(ctx, o, &cfg, seeds, log)
		if err != nil {
			endRun(crawler.Snapshot{}, false)
			return err
		}
		defer leave()
	}

	out := stdout
	if o.output != "" && o.output != "-" {
		flags := os.O_WRONLY | os.O_CREATE | os.O_TRUNC
		if o.state != "" {
			flags = os.O_WRONLY | os.O_CREATE | os.O_APPEND // a resumed crawl adds to it
		}
		f, err := os.OpenFile(o.output, flags, 0o644)
		if err != nil {
			endRun(crawler.Snapshot{}, false)
			return fmt.Errorf("output: %w", err)
		}
		defer f.Close()
		out = f
	}
	cfg.Output = out
	if state != nil {
		if err := state.attachOutput(&cfg, out); err != nil {
			endRun(crawler.Snapshot{}, false)
			return err
		}
	}
	if f, ok := out.(*os.File); (!ok || !term.IsTerminal(int(f.Fd()))) && o.state == "" {
		// A pipe or a file: batch lines. With --state, records go out as
		// soon as none is waiting, so that few finished URLs are waiting
		// to be written (and fetched again after a kill).
		cfg.FlushDelay = 5 * time.Millisecond
	}

	bar := newProgress(o.progress, stderr)
	cfg.Observe = func(r *crawler.Record) {
		if bar != nil {
			_ = bar.Add(1)
		}
		if o.verbose {
			log.Debug("fetched", "url", r.URL, "status", r.Status, "error", r.Error, "attempts", r.Attempts)
		}
	}

	c, err := crawler.New(cfg)
	if err != nil {
		endRun(crawler.Snapshot{}, false)
		return err
	}
	stopProfiles, err := startProfiles(o.cpuProfile, o.memProfile)
	if err != nil {
		return err
	}
	err = c.Run(ctx)
	stopProfiles()
	outputOK := err == nil || errors.Is(err, context.Canceled)
	if serr := endRun(c.Stats(), outputOK); err == nil {
		err = serr
	}
	if bar != nil {
		_ = bar.Finish()
		fmt.Fprintln(stderr)
	}
	if f, ok := out.(*os.File); ok && out != stdout && err == nil {
		if cerr := f.Close(); cerr != nil {
			err = fmt.Errorf("output: %w", cerr)
		}
	}
	if !o.quiet && !errors.Is(err, syscall.EPIPE) {
		summary(stderr, c.Stats())
	}
	return err
}

// newProgress returns a progress bar on stderr, or nil when there should
// be none.
func newProgress(mode string, stderr io.Writer) *progressbar.ProgressBar {
	show := mode == "always"
	if mode == "auto" {
		f, ok := stderr.(*os.File)
		show = ok && term.IsTerminal(int(f.Fd()))
	}
	if !show {
		return nil
	}
	return progressbar.NewOptions64(-1,
		progressbar.OptionSetWriter(stderr),
		progressbar.OptionSetDescription("crawling"),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("pages"),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionSpinnerType(14),
	)
}

// summary writes the end-of-crawl line.
func summary(w io.Writer, s crawler.Snapshot) {
	fmt.Fprintf(w, "crawl: %d records, %d errors, %d skipped (robots %d, scope %d, depth %d, filters %d), %s, %.1fs, %.1f pages/s\n",
		s.Records, s.Errors, s.Skipped(), s.SkippedRobots, s.SkippedScope, s.SkippedDepth, s.SkippedFilter,
		humanBytes(s.Bytes), s.Elapsed.Seconds(), s.PagesPerSecond())
}

func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
