package bench

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"unicode/utf8"
)

// Print writes the results as tables, then the targets, then the stderr
// of every failed run.
func Print(w io.Writer, r *Results) {
	fmt.Fprintf(w, "crawl benchmarks: %s, commit %s, %s %s, %d CPUs (the site server shares them), load %s\n",
		r.Date, r.Commit, r.Go, r.Platform, r.CPUs, r.Load)
	for _, s := range r.Scenarios {
		fmt.Fprintf(w, "\n%s: %s; median of %d run(s)\n", s.Name, s.Setup, s.Runs)
		switch s.Name {
		case Throughput:
			printThroughput(w, s)
		case Polite:
			printPolite(w, s)
		case Scale:
			printScale(w, s)
		}
	}
	fmt.Fprintln(w, "\ntargets")
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	for _, t := range r.Targets {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", strings.ToUpper(t.Status), t.Name, t.Value)
	}
	tw.Flush()
	printStalls(w, r)
	printFailures(w, r)
}

// printStalls warns when the machine was too busy for some runs' times
// to be trusted.
func printStalls(w io.Writer, r *Results) {
	runs, stalled, worst := 0, 0, 0.0
	for _, s := range r.Scenarios {
		for _, t := range s.Tools {
			for _, run := range t.Runs {
				runs++
				worst = max(worst, run.StallMs)
				if run.StallMs > float64(suspectStall.Milliseconds()) {
					stalled++
				}
			}
		}
	}
	if stalled > 0 {
		fmt.Fprintf(w, "\nwarning: the machine stalled in %d of %d runs (a 10 ms timer woke up to %.0f ms late):\n"+
			"  their times measure the machine's load more than the crawler; rerun on a quiet machine\n", stalled, runs, worst)
	}
}

func printThroughput(w io.Writer, s *Scenario) {
	rows := [][]string{{"tool", "version", "wall s", "pages/s", "CPU s/1k pages", "peak RSS", "crawl speed ×", "crawl RSS ×", "stall ms", "pages requested"}}
	crawl := s.median(toolCrawl)
	for _, t := range s.Tools {
		m := t.Median
		if m == nil {
			rows = append(rows, []string{t.Name, t.Version, "", "", "", "", "", "", "", why(t)})
			continue
		}
		speed, rss := "", ""
		if crawl != nil && m.PagesPerS > 0 && m.MaxRSS > 0 {
			speed = fmt.Sprintf("%.2f", crawl.PagesPerS/m.PagesPerS)
			rss = fmt.Sprintf("%.2f", float64(crawl.MaxRSS)/float64(m.MaxRSS))
		}
		rows = append(rows, []string{t.Name, t.Version, fmt.Sprintf("%.2f", m.WallS), fmt.Sprintf("%.0f", m.PagesPerS),
			fmt.Sprintf("%.3f", m.CPUPer1k), mb(m.MaxRSS), speed, rss, fmt.Sprintf("%.0f", m.StallMs), m.Summary})
	}
	printTable(w, rows, 2)
	fmt.Fprintln(w, "  crawl speed × = crawl's pages/s ÷ the tool's; crawl RSS × = crawl's peak RSS ÷ the tool's;")
	fmt.Fprintln(w, "  stall ms = the worst lateness of a 10 ms timer in the harness during the run (a busy machine)")
}

// printTable writes rows in aligned columns, indented by two spaces: the
// first left columns and the last one aligned left, the others (numbers)
// right.
func printTable(w io.Writer, rows [][]string, left int) {
	widths := make([]int, len(rows[0]))
	for _, row := range rows {
		for i, cell := range row {
			widths[i] = max(widths[i], utf8.RuneCountInString(cell))
		}
	}
	for _, row := range rows {
		var b strings.Builder
		for i, cell := range row {
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(cell))
			switch {
			case i == len(row)-1:
				b.WriteString("  " + cell)
			case i < left:
				b.WriteString("  " + cell + pad)
			default:
				b.WriteString("  " + pad + cell)
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

func printPolite(w io.Writer, s *Scenario) {
	for _, t := range s.Tools {
		m := t.Median
		if m == nil {
			fmt.Fprintf(w, "  %s: %s\n", t.Name, why(t))
			continue
		}
		fmt.Fprintf(w, "  %s: wall %.2f s, ideal %.2f s: %.3f × ideal; peak RSS %s; stall %.0f ms; %s\n",
			t.Name, m.WallS, s.IdealS, m.WallS/s.IdealS, mb(m.MaxRSS), m.StallMs, m.Summary)
		if m.WallS < 0.98*s.IdealS {
			fmt.Fprintln(w, "  faster than the rate allows: is the per-host rate limit kept?")
		}
	}
}

func printScale(w io.Writer, s *Scenario) {
	for _, t := range s.Tools {
		m := t.Median
		if m == nil {
			fmt.Fprintf(w, "  %s: %s\n", t.Name, why(t))
			continue
		}
		fmt.Fprintf(w, "  %s: %.0f pages/s overall, %.3f CPU s/1k pages, stall %.0f ms, %s\n", t.Name, m.PagesPerS, m.CPUPer1k, m.StallMs, m.Summary)
		if len(m.TenthsPerS) == 10 {
			var b strings.Builder
			for _, v := range m.TenthsPerS {
				fmt.Fprintf(&b, " %.0f", v)
			}
			fmt.Fprintf(w, "  pages/s by tenth of the crawl:%s\n", b.String())
			fmt.Fprintf(w, "  last tenth ÷ first tenth: %.2f\n", m.TenthsPerS[9]/m.TenthsPerS[0])
		}
		fmt.Fprintf(w, "  peak RSS %s = %.0f bytes per URL known\n", mb(m.MaxRSS), m.BytesPerURL)
	}
}

// printFailures writes the error and stderr of every failed run, once
// for runs of a tool that failed alike.
func printFailures(w io.Writer, r *Results) {
	for _, s := range r.Scenarios {
		for _, t := range s.Tools {
			var seen []Sample
			for i, run := range t.Runs {
				if run.Error == "" || slices.ContainsFunc(seen, func(o Sample) bool { return o.Error == run.Error && o.Stderr == run.Stderr }) {
					continue
				}
				seen = append(seen, run)
				fmt.Fprintf(w, "\n%s, %s, run %d failed: %s\n  command: %s\n", s.Name, t.Name, i+1, run.Error, shorten(t.Command, 300))
				if run.Stderr != "" {
					fmt.Fprintf(w, "  stderr:\n    %s\n", strings.ReplaceAll(run.Stderr, "\n", "\n    "))
				}
			}
			if failed := countFailed(t.Runs); failed > len(seen) {
				fmt.Fprintf(w, "  (%d of %d runs failed; alike failures shown once)\n", failed, len(t.Runs))
			}
		}
	}
}

func countFailed(runs []Sample) int {
	n := 0
	for _, r := range runs {
		if r.Error != "" {
			n++
		}
	}
	return n
}

func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + fmt.Sprintf("... (%d bytes)", len(s))
}

// why says why a tool has no median.
func why(t *Tool) string {
	if t.Skipped != "" {
		return "skipped: " + t.Skipped
	}
	return "failed (see below)"
}

func mb(b int64) string { return fmt.Sprintf("%.1f MB", float64(b)/1e6) }

// brief is one run in a few words, for the progress log.
func brief(s Sample) string {
	out := fmt.Sprintf("%6.2f s %8.0f pages/s %7.1f MB  stall %4.0f ms  %s", s.WallS, s.PagesPerS, float64(s.MaxRSS)/1e6, s.StallMs, s.Summary)
	if s.Error != "" {
		out += "  FAILED: " + s.Error
	}
	return out
}

func joinArgs(args []string) string { return strings.Join(args, " ") }
