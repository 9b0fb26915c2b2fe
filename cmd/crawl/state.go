package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/crawlhq/crawl/internal/crawler"
	"github.com/crawlhq/crawl/internal/frontier"
	"github.com/crawlhq/crawl/internal/pebblestore"
)

// crawlState is an open --state DIR.
type crawlState struct {
	db    *pebblestore.DB
	front *pebblestore.Frontier
	file  *os.File // the output, when it is a regular file
}

// openState opens --state DIR and wires it into cfg: the frontier and
// visited set on disk, robots.txt kept across runs, changes tracked.
func openState(o *options, cfg *crawler.Config, seeds []string) (*crawlState, error) {
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
	return &crawlState{db: db, front: front}, nil
}

// attachOutput makes the records' output part of the state, when it is a
// regular file (a `>>` redirection, or -o): it first writes the lines
// that a killed run committed but may not have written, then journals
// every later write (see pebblestore.OutputMark). Lines the previous run
// wrote to a pipe cannot be checked; they are written again.
func (s *crawlState) attachOutput(cfg *crawler.Config, out io.Writer) error {
	f, _ := out.(*os.File)
	dev, ino, size, regular := fileID(f)
	mark, pending, err := s.db.PendingOutput()
	if err != nil {
		return fmt.Errorf("state: %w", err)
	}
	if pending {
		lines := mark.Lines
		if regular && dev == mark.Dev && ino == mark.Ino && size >= mark.Offset {
			lines = lines[min(size-mark.Offset, int64(len(lines))):] // what of them is missing
		}
		if _, err := out.Write(lines); err != nil {
			return fmt.Errorf("output: %w", err)
		}
		if err := s.db.ClearPendingOutput(); err != nil {
			return fmt.Errorf("state: %w", err)
		}
		size += int64(len(lines))
	}
	if !regular {
		return nil
	}
	s.file = f
	offset := size
	cfg.Journal = func(ctx context.Context, ls []*frontier.Lease, lines []byte) error {
		mark := pebblestore.OutputMark{Dev: dev, Ino: ino, Offset: offset, Lines: lines}
		offset += int64(len(lines))
		return s.front.CompleteOutput(ctx, ls, mark)
	}
	return nil
}

// end records the run's end and closes the state. When the crawl's
// output was written in full, the journal of its last lines is dropped.
func (s *crawlState) end(stats crawler.Snapshot, outputOK bool) error {
	var err error
	if outputOK {
		err = s.db.ClearPendingOutput()
	}
	if e := s.db.EndRun(context.Background(), pebblestore.RunStats{Records: stats.Records, Errors: stats.Errors}); err == nil {
		err = e
	}
	if e := s.db.Close(); err == nil {
		err = e
	}
	if err != nil {
		return fmt.Errorf("state: %w", err)
	}
	return nil
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
