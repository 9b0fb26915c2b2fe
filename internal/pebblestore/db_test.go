package pebblestore

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cockroachdb/pebble/v2"

	"github.com/crawlhq/crawl/internal/frontier"
	"github.com/crawlhq/crawl/internal/store"
)

func TestLock(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = Open(dir, Options{})
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open: %v, want ErrLocked", err)
	}
	if time.Since(start) > time.Second {
		t.Fatal("second Open waited for the lock")
	}
	if !strings.Contains(err.Error(), "pid "+strconv.Itoa(os.Getpid())) || !strings.Contains(err.Error(), dir) {
		t.Fatalf("message %q names neither the pid nor the directory", err)
	}
	if _, err := Summarize(dir); !errors.Is(err, ErrLocked) {
		t.Fatalf("Summarize while open: %v, want ErrLocked", err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db, err = Open(dir, Options{})
	if err != nil {
		t.Fatalf("Open after Close: %v", err)
	}
	db.Close()
}

// setRaw writes a key straight into a closed state's store.
func setRaw(t *testing.T, dir string, key, value []byte) {
	t.Helper()
	pdb, err := openPebble(dir, 1<<20, false, true)
	if err != nil {
		t.Fatal(err)
	}
	if err := pdb.Set(key, value, pebble.Sync); err != nil {
		t.Fatal(err)
	}
	if err := pdb.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestVersionMismatch(t *testing.T) {
	dir := t.TempDir()
	db, _ := open(t, dir, Options{})
	db.Close()
	setRaw(t, dir, keyVersion, uvarintValue(formatVersion+1))
	_, err := Open(dir, Options{})
	if !errors.Is(err, ErrVersion) || !strings.Contains(err.Error(), dir) {
		t.Fatalf("Open: %v, want ErrVersion naming %s", err, dir)
	}
	if _, err := Summarize(dir); !errors.Is(err, ErrVersion) {
		t.Fatalf("Summarize: %v, want ErrVersion", err)
	}
}

func TestNotOurs(t *testing.T) {
	dir := t.TempDir()
	setRaw(t, dir, []byte("other"), []byte("data"))
	if _, err := Open(dir, Options{}); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("Open of a store without a version: %v, want ErrCorrupt", err)
	}
}

// TestGarbageFiles writes garbage over the store's files, by kind, and
// expects ErrCorrupt, never a panic or an empty store.
func TestGarbageFiles(t *testing.T) {
	for _, kind := range []string{"all", "MANIFEST", ".sst", "OPTIONS", "truncate"} {
		t.Run(kind, func(t *testing.T) {
			dir := t.TempDir()
			db, f := open(t, dir, Options{})
			mustPush(t, f, items("http://a", "/1", "/2")...)
			if err := db.pdb.Flush(); err != nil { // make an sstable
				t.Fatal(err)
			}
			db.Close()
			if n := garble(t, storeDir(dir), kind); n == 0 {
				t.Fatalf("no %s file to garble", kind)
			}
			_, err := Open(dir, Options{})
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("Open: %v, want ErrCorrupt", err)
			}
			if _, err := Summarize(dir); !errors.Is(err, ErrCorrupt) {
				t.Fatalf("Summarize: %v, want ErrCorrupt", err)
			}
		})
	}
}

// garble overwrites the files of dir whose names contain kind ("all":
// every file but LOCK) with bytes of the same length.
func garble(t *testing.T, dir, kind string) int {
	n := 0
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		match := kind == "all" || strings.Contains(e.Name(), kind) || (kind == "truncate" && strings.HasSuffix(e.Name(), ".sst"))
		if e.Name() == "LOCK" || !match {
			continue
		}
		info, _ := e.Info()
		size := max(info.Size(), 16)
		if kind == "truncate" {
			size = info.Size() / 2
		}
		junk := []byte(strings.Repeat("garbage!", int(size)/8+1))[:size]
		if err := os.WriteFile(filepath.Join(dir, e.Name()), junk, 0o644); err != nil {
			t.Fatal(err)
		}
		n++
	}
	return n
}

func TestUndecodableRecords(t *testing.T) {
	dir := t.TempDir()
	db, f := open(t, dir, Options{})
	mustPush(t, f, items("http://a", "/1")...)
	db.Close()
	setRaw(t, dir, join(prefixURL, "http://a/1"), []byte{0xff})
	setRaw(t, dir, queueKey("http://a", midSeq+5), []byte{0xff, 0xff})
	_, f = open(t, dir, Options{})
	if _, err := f.Push(context.Background(), items("http://a", "/1")); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("Push over a bad record: %v, want ErrCorrupt", err)
	}
	if _, err := f.Next(context.Background()); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("Next over a bad entry: %v, want ErrCorrupt", err)
	}
}

func TestSummarize(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if _, err := Summarize(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Summarize of an empty dir: %v", err)
	}
	clk := fakeClock()
	db, f := open(t, dir, Options{Clock: clk, Settings: []byte(`{"seeds":["http://a/"]}`)})
	mustPush(t, f, items("http://a", "/1", "/2", "/3", "/4", "/5")...)
	mustPush(t, f, items("http://b", "/1")...)
	mustPush(t, f, frontier.Item{URL: "http://a/robots.txt", Host: "http://a", Key: "robots http://a", Exclusive: true})
	var done int
	for done < 4 {
		l := mustNext(t, f)
		switch {
		case l.Exclusive:
			finish(t, f, l, ok200)
			continue
		case done == 0:
			finish(t, f, l, frontier.Result{Failed: true, Recorded: true})
		case done == 1:
			finish(t, f, l, frontier.Result{})
		default:
			finish(t, f, l, ok200)
		}
		done++
	}
	if err := db.SaveRobots(ctx, "http://a", store.Robots{Status: 404}); err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Minute)
	if err := db.EndRun(ctx, RunStats{Records: 3, Errors: 1}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, _ = open(t, dir, Options{Clock: clk}) // a second run, killed (no EndRun)
	db.Close()

	s, err := Summarize(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := Summary{Dir: dir, Format: formatVersion, URLs: 6, Queued: 2, Done: 2, Failed: 1, Skipped: 1,
		Keys: 1, Hosts: 2, Robots: 1, Runs: 2}
	got := s
	got.LastRun, got.Settings = nil, nil
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Summarize = %+v\nwant        %+v", got, want)
	}
	if s.LastRun == nil || s.LastRun.ID != 2 || !s.LastRun.End.IsZero() || !s.LastRun.Start.Equal(epoch.Add(time.Minute)) {
		t.Fatalf("last run %+v", s.LastRun)
	}
	if string(s.Settings) != `{"seeds":["http://a/"]}` {
		t.Fatalf("settings %s", s.Settings)
	}
	if _, err := json.Marshal(s); err != nil {
		t.Fatal(err)
	}
}

func TestEndRun(t *testing.T) {
	clk := fakeClock()
	dir := t.TempDir()
	db, _ := open(t, dir, Options{Clock: clk})
	clk.Advance(time.Hour)
	if err := db.EndRun(context.Background(), RunStats{Records: 7, Errors: 2}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s, err := Summarize(dir)
	if err != nil {
		t.Fatal(err)
	}
	r := s.LastRun
	if r == nil || r.ID != 1 || !r.Start.Equal(epoch) || !r.End.Equal(epoch.Add(time.Hour)) || r.Records != 7 || r.Errors != 2 {
		t.Fatalf("last run %+v", r)
	}
}
