package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/crawlhq/crawl/internal/testsite"
)

// crawlBin is the crawl binary built once for the end-to-end tests.
var crawlBin string

// raceEnv makes a race-enabled binary exit at once (not after the race
// runtime's default 1 s) and fail on the first race it finds.
var raceEnv = []string{"GORACE=atexit_sleep_ms=0 halt_on_error=1"}

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "crawl-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	crawlBin = filepath.Join(dir, "crawl")
	args := []string{"build", "-o", crawlBin}
	if raceEnabled {
		args = append(args, "-race")
	}
	build := exec.Command("go", append(args, ".")...)
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building crawl:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// result is what one run of the binary produced.
type result struct {
	code    int
	stdout  string
	stderr  string
	records []map[string]any
}

// byURL returns the record of url, failing the test when there is not
// exactly one.
func (r *result) byURL(t *testing.T, url string) map[string]any {
	t.Helper()
	var found map[string]any
	n := 0
	for _, rec := range r.records {
		if rec["url"] == url {
			found = rec
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d records for %s, want 1; stdout:\n%s\nstderr:\n%s", n, url, r.stdout, r.stderr)
	}
	return found
}

func (r *result) has(url string) bool {
	for _, rec := range r.records {
		if rec["url"] == url {
			return true
		}
	}
	return false
}

func (r *result) urls() []string {
	var us []string
	for _, rec := range r.records {
		us = append(us, rec["url"].(string))
	}
	return us
}

// run runs the binary with args and stdin to completion.
func run(t *testing.T, stdin string, args ...string) *result {
	t.Helper()
	return runEnv(t, []string{"NO_PROXY=*", "HTTP_PROXY=", "HTTPS_PROXY="}, stdin, args...)
}

// runEnv is run with extra environment variables.
func runEnv(t *testing.T, env []string, stdin string, args ...string) *result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, crawlBin, args...)
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.Env = append(append(os.Environ(), raceEnv...), env...)
	err := cmd.Run()
	res := &result{stdout: stdout.String(), stderr: stderr.String()}
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		res.code = exit.ExitCode()
	case err != nil:
		t.Fatalf("running crawl: %v", err)
	}
	if strings.HasPrefix(res.stdout, "{") && !strings.HasPrefix(res.stdout, "{\n") {
		res.records = parseLines(t, res.stdout)
	}
	return res
}

// command makes an unstarted crawl command, for tests that drive the
// process themselves.
func command(args ...string) *exec.Cmd {
	cmd := exec.Command(crawlBin, args...)
	cmd.Env = append(os.Environ(), raceEnv...)
	return cmd
}

// parseLines parses JSON lines, failing on any line that is not a
// complete JSON object.
func parseLines(t *testing.T, out string) []map[string]any {
	t.Helper()
	var recs []map[string]any
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var rec map[string]any
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("stdout line is not a JSON object: %q: %v", sc.Text(), err)
		}
		recs = append(recs, rec)
	}
	return recs
}

// server is a loopback test server recording what it saw.
type server struct {
	*httptest.Server
	rec *testsite.Recorder
	mux *http.ServeMux
}

// newServer starts a server whose mux the test fills in. robots.txt
// answers 404 unless the test registers one.
func newServer(t *testing.T) *server {
	t.Helper()
	s := &server{rec: testsite.NewRecorder(), mux: http.NewServeMux()}
	s.Server = httptest.NewServer(s.rec.Wrap(s.mux))
	t.Cleanup(s.Close)
	return s
}

// page registers an HTML page at path.
func (s *server) page(path, title string, links ...string) {
	s.mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != path {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, html(title, links...))
	})
}

// handle registers a handler at path.
func (s *server) handle(path string, h http.HandlerFunc) { s.mux.HandleFunc(path, h) }

// robots registers a robots.txt body.
func (s *server) robots(body string) {
	s.mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, body)
	})
}

// hits returns the requests per path, robots.txt included.
func (s *server) hits() map[string]int { return s.rec.Hits() }

// pageHits counts requests other than robots.txt.
func (s *server) pageHits() int {
	n := 0
	for p, c := range s.hits() {
		if p != "/robots.txt" {
			n += c
		}
	}
	return n
}

func html(title string, links ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<!doctype html><html><head><title>%s</title></head><body>\n", title)
	for _, l := range links {
		fmt.Fprintf(&b, "<a href=\"%s\">link</a>\n", l)
	}
	b.WriteString("</body></html>\n")
	return b.String()
}

// fast are flags that keep a test crawl quick: no rate limit.
var fast = []string{"--rate", "0", "--progress", "never"}

func args(extra ...string) []string { return append(append([]string{}, fast...), extra...) }

func wantCode(t *testing.T, r *result, code int) {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit status %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, code, r.stdout, r.stderr)
	}
}
