package fetch

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func newFetcher(maxBody int64) *Fetcher {
	return New(Config{
		UserAgent: "crawltest/1.0", Header: http.Header{"X-Extra": {"yes"}},
		Timeout: 2 * time.Second, MaxBody: maxBody, IdlePerHost: 2,
	})
}

func keepAll(string) bool { return true }

func TestGetBodyAndHeaders(t *testing.T) {
	var got http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<p>hello</p>")
	}))
	defer srv.Close()
	f := newFetcher(1 << 20)
	defer f.Close()
	r := f.Get(context.Background(), srv.URL+"/", Conditional{}, keepAll)
	if r.Err != nil || r.Status != 200 || string(r.Body) != "<p>hello</p>" || r.Size != 12 || r.Truncated {
		t.Fatalf("response %+v", r)
	}
	if got.Get("User-Agent") != "crawltest/1.0" || got.Get("X-Extra") != "yes" {
		t.Errorf("request headers %v", got)
	}
	r = f.Get(context.Background(), srv.URL+"/", Conditional{}, func(string) bool { return false })
	if r.Body != nil || r.Size != 12 {
		t.Errorf("body not kept but counted: %q, size %d", r.Body, r.Size)
	}
}

func TestBodyLimitAfterDecompression(t *testing.T) {
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	zw.Write(bytes.Repeat([]byte("a"), 10<<20))
	zw.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/plain" {
			io.WriteString(w, strings.Repeat("b", 5000))
			return
		}
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(zipped.Bytes())
	}))
	defer srv.Close()
	f := newFetcher(4096)
	defer f.Close()
	r := f.Get(context.Background(), srv.URL+"/bomb", Conditional{}, keepAll)
	if r.Err != nil || r.Size != 4096 || !r.Truncated || len(r.Body) != 4096 || r.Body[0] != 'a' {
		t.Fatalf("gzip bomb: size %d truncated %v body %d err %v", r.Size, r.Truncated, len(r.Body), r.Err)
	}
	r = f.Get(context.Background(), srv.URL+"/plain", Conditional{}, keepAll)
	if r.Size != 4096 || !r.Truncated {
		t.Fatalf("plain: size %d truncated %v", r.Size, r.Truncated)
	}
	f2 := newFetcher(5000)
	defer f2.Close()
	if r := f2.Get(context.Background(), srv.URL+"/plain", Conditional{}, keepAll); r.Size != 5000 || r.Truncated {
		t.Fatalf("a body of exactly the limit: size %d truncated %v", r.Size, r.Truncated)
	}
}

func TestTimeoutCoversBody(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(200)
		io.WriteString(w, "start")
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)
	f := New(Config{UserAgent: "t", Timeout: 200 * time.Millisecond, MaxBody: 1 << 20})
	defer f.Close()
	r := f.Get(context.Background(), srv.URL, Conditional{}, keepAll)
	if Message(r.Err) != "timeout" {
		t.Fatalf("error %v (%q), want timeout", r.Err, Message(r.Err))
	}
	if r.Duration < 200*time.Millisecond || r.Duration > 2*time.Second {
		t.Errorf("attempt took %v", r.Duration)
	}
}

func TestRedirectsNotFollowed(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/elsewhere", http.StatusFound)
	}))
	defer srv.Close()
	f := newFetcher(1 << 20)
	defer f.Close()
	r := f.Get(context.Background(), srv.URL+"/", Conditional{}, keepAll)
	if r.Status != 302 || r.Header.Get("Location") != "/elsewhere" {
		t.Fatalf("status %d location %q", r.Status, r.Header.Get("Location"))
	}
}

func TestRobotsRedirects(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var n int
		fmt.Sscanf(r.URL.Path, "/r%d", &n)
		switch {
		case r.URL.Path == "/robots.txt":
			http.Redirect(w, r, "/r1", http.StatusMovedPermanently)
		case r.URL.Query().Get("stop") != "" && n >= 4:
			io.WriteString(w, "User-agent: *\nDisallow: /x\n")
		default:
			http.Redirect(w, r, fmt.Sprintf("/r%d?%s", n+1, r.URL.RawQuery), http.StatusFound)
		}
	}))
	defer srv.Close()
	f := newFetcher(1 << 20)
	defer f.Close()
	if r := f.Robots(context.Background(), srv.URL); Message(r.Err) != "too many redirects" {
		t.Fatalf("endless robots.txt redirects: status %d err %v", r.Status, r.Err)
	}
}

func TestConnectionReuse(t *testing.T) {
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, strings.Repeat("x", 1000))
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	f := newFetcher(1 << 20)
	defer f.Close()
	for i := range 20 {
		if r := f.Get(context.Background(), fmt.Sprintf("%s/%d", srv.URL, i), Conditional{}, nil); r.Err != nil {
			t.Fatal(r.Err)
		}
	}
	if n := conns.Load(); n != 1 {
		t.Errorf("20 sequential requests used %d connections, want 1", n)
	}
}

func TestMessages(t *testing.T) {
	f := New(Config{UserAgent: "t", Timeout: 2 * time.Second, MaxBody: 1 << 20})
	defer f.Close()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	if m := Message(f.Get(context.Background(), "http://"+addr+"/", Conditional{}, nil).Err); m != "connection refused" {
		t.Errorf("closed port: %q", m)
	}
	if m := Message(f.Get(context.Background(), "http://no-such-host.invalid/", Conditional{}, nil).Err); !strings.HasPrefix(m, "dns: ") {
		t.Errorf("unknown host: %q", m)
	}
	reset := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, _, _ := w.(http.Hijacker).Hijack()
		conn.(*net.TCPConn).SetLinger(0)
		conn.Close()
	}))
	defer reset.Close()
	if m := Message(f.Get(context.Background(), reset.URL, Conditional{}, nil).Err); m != "connection reset" && m != "connection closed early" {
		t.Errorf("reset connection: %q", m)
	}
	if Message(nil) != "" {
		t.Error("Message(nil) not empty")
	}
}
