package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/crawlhq/crawl/internal/crawler"
	"github.com/crawlhq/crawl/internal/frontier"
	"github.com/crawlhq/crawl/internal/pebblestore"
)

// openState opens --state DIR and wires it into cfg: the frontier and
// visited set on disk, robots.txt kept across runs, changes tracked. The
// function it returns ends the run (recording its figures) and closes the
// state.
func openState(o *options, cfg *crawler.Config, seeds []string) (func(crawler.Snapshot) error, error) {
	settings, _ := json.Marshal(map[string]any{
		"seeds": seeds, "scope": o.scope, "max_depth": o.maxDepth, "include": o.include, "exclude": o.exclude,
		"rate": o.rate, "per_host": o.perHost, "user_agent": o.userAgent, "ignore_robots": o.noRobots,
		"recrawl_after": time.Duration(o.recrawlAfter).String(),
	})
	db, err := pebblestore.Open(o.state, pebblestore.Options{
		RecrawlAfter: time.Duration(o.recrawlAfter),
		Settings:     settings,
	})
	if err != nil {
		return nil, fmt.Errorf("state: %w", err)
	}
	front, err := db.Frontier(frontier.Config{PerHost: o.perHost, Rate: o.rate})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("state: %w", err)
	}
	cfg.Frontier = front
	cfg.Robots = db
	cfg.TrackChanges = true
	cfg.OnlyChanged = o.onlyChanged
	return func(s crawler.Snapshot) error {
		err := db.EndRun(context.Background(), pebblestore.RunStats{Records: s.Records, Errors: s.Errors})
		if cerr := db.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("state: %w", err)
		}
		return nil
	}, nil
}

// newStateCmd builds `crawl state DIR`.
func newStateCmd(stdout io.Writer) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "state DIR",
		Short: "Print a summary of a crawl state made with --state DIR",
		Long: `state prints what the crawl state in DIR holds: URLs known, queued, done
and failed, hosts, and its runs. It reads the state without changing it,
and fails while a crawl is using DIR.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("state takes one DIR, got %d arguments", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			sum, err := pebblestore.Summarize(args[0])
			if err != nil {
				return fmt.Errorf("state: %w", err)
			}
			if asJSON {
				enc := json.NewEncoder(stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(stateJSON{
					Dir: sum.Dir, Known: sum.URLs, Queued: sum.Queued, Done: sum.Done, Failed: sum.Failed,
					Skipped: sum.Skipped, Hosts: sum.Hosts, Runs: sum.Runs, LastRun: sum.LastRun, Settings: sum.Settings,
				})
			}
			printSummary(stdout, sum)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the summary as JSON")
	return cmd
}

// stateJSON is what `crawl state --json` prints.
type stateJSON struct {
	Dir      string               `json:"dir"`
	Known    int64                `json:"known"`   // URLs known
	Queued   int64                `json:"queued"`  // waiting to be fetched
	Done     int64                `json:"done"`    // fetched
	Failed   int64                `json:"failed"`  // last fetch got no usable response
	Skipped  int64                `json:"skipped"` // forbidden by robots.txt
	Hosts    int64                `json:"hosts"`
	Runs     int64                `json:"runs"`
	LastRun  *pebblestore.RunInfo `json:"last_run,omitempty"`
	Settings json.RawMessage      `json:"settings,omitempty"`
}

func printSummary(w io.Writer, s pebblestore.Summary) {
	fmt.Fprintf(w, "state:   %s\n", s.Dir)
	fmt.Fprintf(w, "urls:    %d known, %d queued, %d done, %d failed, %d skipped\n", s.URLs, s.Queued, s.Done, s.Failed, s.Skipped)
	fmt.Fprintf(w, "hosts:   %d (%d with a stored robots.txt)\n", s.Hosts, s.Robots)
	fmt.Fprintf(w, "runs:    %d\n", s.Runs)
	if r := s.LastRun; r != nil {
		end := "did not end (killed, or still running)"
		if !r.End.IsZero() {
			end = "ended " + r.End.Local().Format(time.DateTime) + fmt.Sprintf(" after %s", r.End.Sub(r.Start).Round(time.Second))
		}
		fmt.Fprintf(w, "last run: started %s, %s, %d records\n", r.Start.Local().Format(time.DateTime), end, r.Records)
	}
}
