package bench

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
)

// Results is everything one benchmark run measured; it is written as
// JSON so that runs can be compared across commits.
type Results struct {
	Date      string      `json:"date"` // RFC 3339
	Commit    string      `json:"commit"`
	Go        string      `json:"go"`
	Platform  string      `json:"platform"`
	CPUs      int         `json:"cpus"`
	Load      string      `json:"load,omitempty"` // /proc/loadavg when the run began: a busy machine slows every row
	Config    Config      `json:"config"`
	Scenarios []*Scenario `json:"scenarios"`
	Targets   []Target    `json:"targets"`
}

// Scenario is one row group of the table: a site, and the tools run
// against it.
type Scenario struct {
	Name   string  `json:"name"`
	Setup  string  `json:"setup"`
	Runs   int     `json:"runs"`
	IdealS float64 `json:"ideal_s,omitempty"` // polite: the wall time a perfect crawler takes
	Tools  []*Tool `json:"tools"`
}

// Tool is one program's runs in one scenario.
type Tool struct {
	Name    string   `json:"name"`
	Version string   `json:"version,omitempty"`
	Command string   `json:"command,omitempty"`
	Skipped string   `json:"skipped,omitempty"` // why it was not run
	Runs    []Sample `json:"runs,omitempty"`
	Median  *Sample  `json:"median,omitempty"` // of the runs that succeeded
}

// Sample is what one run of a tool did, or the median of several runs.
type Sample struct {
	WallS     float64 `json:"wall_s"`
	PagesPerS float64 `json:"pages_per_s"` // distinct pages requested per second of wall time
	CPUPer1k  float64 `json:"cpu_s_per_1k_pages"`
	MaxRSS    int64   `json:"max_rss_bytes"`
	Pages     int     `json:"pages"`         // distinct pages requested
	Requests  int64   `json:"page_requests"` // page requests, repeats included
	Records   int64   `json:"records,omitempty"`
	Complete  bool    `json:"complete"` // every page requested exactly once (and one record each)
	Summary   string  `json:"summary"`  // the coverage in a few words
	Coverage  string  `json:"coverage"` // the same, listing the first pages missed or repeated
	// Scale runs: pages/s in each tenth of the crawl, and peak RSS per URL.
	TenthsPerS  []float64 `json:"tenths_pages_per_s,omitempty"`
	BytesPerURL float64   `json:"bytes_per_url,omitempty"`
	// StallMs is the worst lateness of a 10 ms timer in the harness
	// during the run: past 100 ms the machine was too busy to trust the
	// run's times.
	StallMs float64 `json:"stall_ms"`
	Error   string  `json:"error,omitempty"`
	Stderr  string  `json:"stderr,omitempty"`
}

// Target is one goal the crawler is measured against.
type Target struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Status string `json:"status"` // met, missed, or n/a when not measured
}

func (r *Results) scenario(name string) *Scenario {
	for _, s := range r.Scenarios {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// median returns the median of the tool's successful runs, or nil.
func (s *Scenario) median(tool string) *Sample {
	if s == nil {
		return nil
	}
	for _, t := range s.Tools {
		if t.Name == tool {
			return t.Median
		}
	}
	return nil
}

// medianOf returns the field-by-field median of the samples that have no
// error, or nil when there is none. Complete holds only if it holds for
// all; Summary and Coverage are those of the first incomplete run.
func medianOf(samples []Sample) *Sample {
	var ok []Sample
	for _, s := range samples {
		if s.Error == "" {
			ok = append(ok, s)
		}
	}
	if len(ok) == 0 {
		return nil
	}
	m := Sample{Complete: true, Summary: ok[0].Summary, Coverage: ok[0].Coverage}
	for _, s := range ok {
		if !s.Complete && m.Complete {
			m.Complete, m.Summary, m.Coverage = false, s.Summary, s.Coverage
		}
	}
	field := func(get func(Sample) float64) float64 {
		vs := make([]float64, len(ok))
		for i, s := range ok {
			vs[i] = get(s)
		}
		return median(vs)
	}
	m.WallS = field(func(s Sample) float64 { return s.WallS })
	m.PagesPerS = field(func(s Sample) float64 { return s.PagesPerS })
	m.CPUPer1k = field(func(s Sample) float64 { return s.CPUPer1k })
	m.MaxRSS = int64(field(func(s Sample) float64 { return float64(s.MaxRSS) }))
	m.Pages = int(field(func(s Sample) float64 { return float64(s.Pages) }))
	m.Requests = int64(field(func(s Sample) float64 { return float64(s.Requests) }))
	m.Records = int64(field(func(s Sample) float64 { return float64(s.Records) }))
	m.BytesPerURL = field(func(s Sample) float64 { return s.BytesPerURL })
	m.StallMs = field(func(s Sample) float64 { return s.StallMs })
	for k := range len(ok[0].TenthsPerS) {
		m.TenthsPerS = append(m.TenthsPerS, field(func(s Sample) float64 {
			if k < len(s.TenthsPerS) {
				return s.TenthsPerS[k]
			}
			return 0
		}))
	}
	return &m
}

func median(vs []float64) float64 {
	slices.Sort(vs)
	n := len(vs)
	if n%2 == 1 {
		return vs[n/2]
	}
	return (vs[n/2-1] + vs[n/2]) / 2
}

// WriteJSON writes the results to path, making its directory.
func (r *Results) WriteJSON(path string) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	return nil
}
