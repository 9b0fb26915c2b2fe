package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crawlhq/crawl/internal/testsite"
)

// siteServer serves a synthetic site and records every request.
func siteServer(t *testing.T, cfg testsite.SiteConfig) (*testsite.Site, *testsite.Recorder, string) {
	t.Helper()
	site, err := testsite.NewSite(cfg)
	if err != nil {
		t.Fatal(err)
	}
	rec := testsite.NewRecorder()
	srv := httptest.NewServer(rec.Wrap(site))
	t.Cleanup(srv.Close)
	return site, rec, srv.URL
}

// startAppending starts crawl with stdout appended to out.
func startAppending(t *testing.T, out string, args ...string) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	f, err := os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cmd := command(args...)
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = f, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, &stderr
}

// TestResumeAfterKill kills a crawl with SIGKILL at several points and
// resumes it each time: the appended output must hold every page exactly
// once, and the server must have seen few repeats (in-flight at a kill).
func TestResumeAfterKill(t *testing.T) {
	const pages, conc = 1500, 4
	site, rec, url := siteServer(t, testsite.SiteConfig{Pages: pages, Size: 512, Links: 10, Latency: time.Millisecond})
	dir := t.TempDir()
	state, out := filepath.Join(dir, "state"), filepath.Join(dir, "out.jsonl")
	crawlArgs := args("--state", state, "-c", fmt.Sprint(conc), "--per-host", fmt.Sprint(conc), "-d", "-1", url+"/p/0")
	kills := 0
	for _, at := range []int{1, 40, 150, 151, 300, 450, 600, 601, 750, 900} { // early, mid, back to back, late
		cmd, stderr := startAppending(t, out, crawlArgs...)
		if !rec.WaitTotal(at, 30*time.Second) {
			t.Fatalf("server saw %d requests, waiting for %d; stderr: %s", rec.Total(), at, stderr)
		}
		cmd.Process.Kill()
		cmd.Wait()
		kills++
	}
	cmd, stderr := startAppending(t, out, crawlArgs...)
	if err := waitTimeout(cmd, 60*time.Second); err != nil {
		t.Fatalf("last run: %v; stderr: %s", err, stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, r := range parseLines(t, string(data)) {
		counts[r["url"].(string)]++
	}
	for i := range pages {
		if u := url + testsite.Path(i); counts[u] != 1 {
			t.Errorf("%s recorded %d times, want once", u, counts[u])
		}
	}
	if len(counts) != pages {
		t.Errorf("%d distinct records, want %d", len(counts), pages)
	}
	cov := site.Coverage()
	if cov.Hit != pages {
		t.Errorf("server saw %d of %d pages", cov.Hit, pages)
	}
	// In flight at a kill: URLs being fetched (conc) and finished ones
	// whose records were not yet written out (at most as many again).
	if extra := cov.PageHits - pages; extra > int64(kills*2*conc) {
		t.Errorf("%d pages fetched again after %d kills; at most %d were in flight", extra, kills, kills*2*conc)
	}
}

// changingSite serves pages whose bodies and validators the test sets.
type changingSite struct {
	mu    sync.Mutex
	body  map[string]string
	etag  map[string]string
	mod   map[string]time.Time
	conds map[string][]string // conditional headers seen, per path
}

func (s *changingSite) set(path, body, etag string, mod time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.body[path], s.etag[path], s.mod[path] = body, etag, mod
}

func (s *changingSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	body, ok := s.body[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	var seen []string
	if v := r.Header.Get("If-None-Match"); v != "" {
		seen = append(seen, "If-None-Match: "+v)
	}
	if v := r.Header.Get("If-Modified-Since"); v != "" {
		seen = append(seen, "If-Modified-Since: "+v)
	}
	s.conds[r.URL.Path] = seen
	w.Header().Set("Content-Type", "text/html")
	if etag := s.etag[r.URL.Path]; etag != "" {
		w.Header().Set("ETag", etag)
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	if mod := s.mod[r.URL.Path]; !mod.IsZero() {
		w.Header().Set("Last-Modified", mod.UTC().Format(http.TimeFormat))
		if since, err := http.ParseTime(r.Header.Get("If-Modified-Since")); err == nil && !mod.After(since) && s.etag[r.URL.Path] == "" {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	io.WriteString(w, body)
}

func TestRecrawl(t *testing.T) {
	old := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s := &changingSite{body: map[string]string{}, etag: map[string]string{}, mod: map[string]time.Time{}, conds: map[string][]string{}}
	s.set("/", html("root", "/etag", "/lastmod", "/neither", "/same", "/new"), "", time.Time{})
	s.set("/etag", "<title>e1</title>", `"e1"`, old)
	s.set("/lastmod", "<title>m1</title>", "", old)
	s.set("/neither", "<title>n1</title>", "", time.Time{})
	s.set("/same", "<title>same</title>", "", time.Time{})
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	state := filepath.Join(t.TempDir(), "state")

	r := run(t, "", args("--state", state, srv.URL)...)
	wantCode(t, r, 0)
	if len(r.records) != 6 { // /new is a 404 yet
		t.Fatalf("first run: %d records: %v", len(r.records), r.urls())
	}
	for _, rec := range r.records {
		if rec["changed"] != true {
			t.Errorf("first run: %v has changed = %v, want true", rec["url"], rec["changed"])
		}
	}
	// Nothing is stale without --recrawl-after: a rerun fetches nothing.
	r = run(t, "", args("--state", state, srv.URL)...)
	wantCode(t, r, 0)
	if len(r.records) != 0 {
		t.Fatalf("rerun without --recrawl-after: %v", r.urls())
	}

	s.set("/etag", "<title>e2</title>", `"e2"`, old)
	s.set("/neither", "<title>n2</title>", "", time.Time{})
	s.set("/new", "<title>new</title>", "", time.Time{})
	r = run(t, "", args("--state", state, "--recrawl-after", "1ms", srv.URL)...)
	wantCode(t, r, 0)
	want := map[string]any{"/": false, "/etag": true, "/lastmod": false, "/neither": true, "/same": false, "/new": true}
	if len(r.records) != len(want) {
		t.Fatalf("recrawl: %d records: %v", len(r.records), r.urls())
	}
	for path, changed := range want {
		if got := r.byURL(t, srv.URL+path)["changed"]; got != changed {
			t.Errorf("recrawl: %s changed = %v, want %v", path, got, changed)
		}
	}
	if got := r.byURL(t, srv.URL+"/lastmod")["status"]; got != 304.0 {
		t.Errorf("/lastmod status %v, want 304", got)
	}
	s.mu.Lock()
	if c := strings.Join(s.conds["/etag"], "; "); !strings.Contains(c, `If-None-Match: "e1"`) {
		t.Errorf("/etag was not asked with its ETag: %q", c)
	}
	if c := strings.Join(s.conds["/lastmod"], "; "); !strings.Contains(c, "If-Modified-Since: "+old.Format(http.TimeFormat)) {
		t.Errorf("/lastmod was not asked with its date: %q", c)
	}
	s.mu.Unlock()

	s.set("/same", "<title>same, edited</title>", "", time.Time{})
	r = run(t, "", args("--state", state, "--recrawl-after", "1ms", "--only-changed", srv.URL)...)
	wantCode(t, r, 0)
	if got := fmt.Sprint(sortedURLs(r)); got != fmt.Sprint([]string{srv.URL + "/same"}) {
		t.Errorf("--only-changed records %s, want only /same", got)
	}
}

func TestStateLocked(t *testing.T) {
	s := bigSite(t, 100, 5) // pages from 5 on hang: the first crawl stays busy
	state := filepath.Join(t.TempDir(), "state")
	first := command(args("--state", state, "-d", "-1", s.URL+"/p/0")...)
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { first.Process.Kill(); first.Wait() }()
	if !s.rec.WaitTotal(3, 20*time.Second) {
		t.Fatal("first crawl did not start")
	}
	start := time.Now()
	r := run(t, "", args("--state", state, s.URL+"/p/0")...)
	wantCode(t, r, 1)
	if !strings.Contains(r.stderr, state) || !strings.Contains(r.stderr, "using the state directory") {
		t.Errorf("stderr does not say the state is in use: %q", r.stderr)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("second crawl took %v to fail", d)
	}
}

func TestStateCorrupt(t *testing.T) {
	s := newServer(t)
	s.page("/", "root", "/a")
	s.page("/a", "a")
	state := filepath.Join(t.TempDir(), "state")
	wantCode(t, run(t, "", args("--state", state, s.URL)...), 0)
	var files []string
	filepath.WalkDir(state, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	var damaged []string
	for _, f := range files {
		base := filepath.Base(f)
		if strings.HasPrefix(base, "MANIFEST") || strings.HasSuffix(base, ".sst") || strings.HasSuffix(base, ".log") {
			if err := os.WriteFile(f, bytes.Repeat([]byte("garbage!"), 512), 0o644); err != nil {
				t.Fatal(err)
			}
			damaged = append(damaged, f)
		}
	}
	n := len(damaged)
	if n == 0 {
		t.Fatalf("no store files to damage in %v", files)
	}
	before := s.rec.Total()
	r := run(t, "", args("--state", state, s.URL)...)
	wantCode(t, r, 1)
	if !strings.Contains(r.stderr, "corrupt") {
		t.Errorf("stderr does not say the state is corrupt: %q", r.stderr)
	}
	if s.rec.Total() != before {
		t.Error("a crawl with a corrupt state fetched something")
	}
	for _, f := range damaged {
		if b, err := os.ReadFile(f); err != nil || !bytes.HasPrefix(b, []byte("garbage!")) {
			t.Errorf("the damaged state was changed or removed: %s: %v", f, err)
		}
	}
}

func TestStateCommand(t *testing.T) {
	s := newServer(t)
	s.page("/", "root", "/a", "/b", "/private/x")
	s.page("/a", "a")
	s.robots("User-agent: *\nDisallow: /private\n")
	state := filepath.Join(t.TempDir(), "state")
	wantCode(t, run(t, "", args("--state", state, s.URL)...), 0)
	r := run(t, "", "state", state, "--json")
	wantCode(t, r, 0)
	var sum struct {
		Known, Queued, Done, Failed, Hosts, Runs int
	}
	if err := json.Unmarshal([]byte(r.stdout), &sum); err != nil {
		t.Fatalf("crawl state --json: %v: %q", err, r.stdout)
	}
	if sum.Known != 3 || sum.Done != 3 || sum.Queued != 0 || sum.Hosts != 1 || sum.Runs != 1 {
		t.Errorf("summary %+v", sum)
	}
	r = run(t, "", "state", state)
	wantCode(t, r, 0)
	for _, w := range []string{"queued", "done", "hosts"} {
		if !strings.Contains(r.stdout, w) {
			t.Errorf("crawl state output lacks %q: %s", w, r.stdout)
		}
	}
	r = run(t, "", "state", filepath.Join(t.TempDir(), "nothing"))
	if r.code == 0 {
		t.Errorf("crawl state of a missing dir succeeded: %s", r.stdout)
	}
}

func TestStateFlagsNeedState(t *testing.T) {
	for _, a := range [][]string{{"--recrawl-after", "1h"}, {"--only-changed"}, {"--state", "x", "--recrawl-after", "-1h"}} {
		r := run(t, "", args(append(a, "http://127.0.0.1:1/")...)...)
		wantCode(t, r, 2)
	}
}
