package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/crawlhq/crawl/internal/crawler"
	"github.com/crawlhq/crawl/internal/frontier"
	"github.com/crawlhq/crawl/internal/pebblestore"
)

// TestOutputJournal checks what a run does with the output mark a killed
// run left: it writes what of the marked lines the output file lacks.
func TestOutputJournal(t *testing.T) {
	const before, marked = "line 1\n", "line 2\nline 3\n"
	cases := []struct {
		name    string
		written string // what the killed run got into the file
		other   bool   // the new run writes to another file
		want    string
	}{
		{"NotWritten", before, false, before + marked},
		{"Written", before + marked, false, before + marked},
		{"HalfWritten", before + "line 2\n", false, before + marked},
		{"OtherFile", "", true, marked},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			stateDir, outPath := filepath.Join(dir, "state"), filepath.Join(dir, "out")
			if err := os.WriteFile(outPath, []byte(before), 0o644); err != nil {
				t.Fatal(err)
			}
			// A run that journals one batch, then "dies" (never ends).
			st := openTestState(t, stateDir)
			f, err := os.OpenFile(outPath, os.O_WRONLY|os.O_APPEND, 0)
			if err != nil {
				t.Fatal(err)
			}
			var cfg crawler.Config
			if err := st.attachOutput(&cfg, f); err != nil {
				t.Fatal(err)
			}
			if err := cfg.Journal(context.Background(), nil, []byte(marked)); err != nil {
				t.Fatal(err)
			}
			f.Close()
			if err := os.WriteFile(outPath, []byte(tc.written), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := st.db.Close(); err != nil {
				t.Fatal(err)
			}

			// The next run.
			if tc.other {
				outPath = filepath.Join(dir, "other")
			}
			st = openTestState(t, stateDir)
			f, err = os.OpenFile(outPath, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if err := st.attachOutput(&cfg, f); err != nil {
				t.Fatal(err)
			}
			if _, pending, _ := st.db.PendingOutput(); pending {
				t.Error("the mark is still there after it was dealt with")
			}
			st.db.Close()
			got, _ := os.ReadFile(outPath)
			if string(got) != tc.want {
				t.Errorf("output %q, want %q", got, tc.want)
			}
		})
	}
}

func openTestState(t *testing.T, dir string) *crawlState {
	t.Helper()
	db, err := pebblestore.Open(dir, pebblestore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	front, err := db.Frontier(frontier.Config{PerHost: 1})
	if err != nil {
		t.Fatal(err)
	}
	return &crawlState{db: db, front: front}
}
