package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"syscall"
	"testing"
	"time"
)

// bigSite serves /p/0 .. /p/n-1, each linking to the next ten; pages
// from hangFrom on hang until the client goes away.
func bigSite(t *testing.T, n, hangFrom int) *server {
	s := newServer(t)
	s.handle("/p/", func(w http.ResponseWriter, r *http.Request) {
		var i int
		fmt.Sscanf(r.URL.Path, "/p/%d", &i)
		if i >= hangFrom {
			<-r.Context().Done()
			return
		}
		var links []string
		for j := 1; j <= 10; j++ {
			if k := i*10 + j; k < n {
				links = append(links, fmt.Sprintf("/p/%d", k))
			}
		}
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, html(fmt.Sprint(i), links...))
	})
	return s
}

func TestSignals(t *testing.T) {
	for _, tc := range []struct {
		sig  syscall.Signal
		code int
	}{{syscall.SIGINT, 130}, {syscall.SIGTERM, 143}} {
		t.Run(tc.sig.String(), func(t *testing.T) {
			s := bigSite(t, 1000, 20)
			cmd := command(args("-c", "4", "--per-host", "4", "-d", "-1", s.URL+"/p/0")...)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// Wait until pages are done and some requests hang in flight.
			// robots.txt, /p/0 and its ten links answer whatever the
			// order of the queue; later pages may hang.
			if !s.rec.WaitTotal(12, 20*time.Second) {
				t.Fatalf("server saw only %d requests", s.rec.Total())
			}
			signalled := time.Now()
			if err := cmd.Process.Signal(tc.sig); err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			err := waitTimeout(cmd, 10*time.Second)
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != tc.code {
				t.Fatalf("exit = %v, want status %d; stderr: %s", err, tc.code, stderr.String())
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v to stop", d)
			}
			if stdout.Len() == 0 || stdout.Bytes()[stdout.Len()-1] != '\n' {
				t.Fatalf("stdout does not end with a complete line: %q", stdout.String())
			}
			for _, q := range s.rec.Requests() {
				if q.Start.After(signalled.Add(50 * time.Millisecond)) {
					t.Errorf("request for %s started %v after the signal", q.Path, q.Start.Sub(signalled))
				}
			}
			recs := parseLines(t, stdout.String())
			if len(recs) < 5 {
				t.Errorf("only %d records flushed", len(recs))
			}
			for _, rec := range recs {
				if rec["status"] != 200.0 {
					t.Errorf("record of a cancelled request: %v", rec)
				}
			}
		})
	}
}

func TestClosedStdout(t *testing.T) {
	s := bigSite(t, 100000, 1<<30)
	cmd := command(args("-c", "4", "--per-host", "4", "-d", "-1", s.URL+"/p/0")...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	out.Close() // like `crawl | head -1`
	closedAt := s.rec.Total()
	if err := waitTimeout(cmd, 10*time.Second); err != nil {
		t.Errorf("crawl with a closed stdout: %v", err)
	}
	if stderr.Len() != 0 {
		t.Errorf("stderr not quiet: %q", stderr.String())
	}
	if line == "" {
		t.Error("no first line")
	}
	if extra := s.rec.Total() - closedAt; extra > 100 {
		t.Errorf("%d requests after stdout was closed", extra)
	}
}

func TestMaxTime(t *testing.T) {
	s := bigSite(t, 1000, 5)
	start := time.Now()
	r := run(t, "", args("-c", "4", "--per-host", "4", "--max-time", "1s", s.URL+"/p/0")...)
	wantCode(t, r, 0)
	if d := time.Since(start); d < time.Second || d > 8*time.Second {
		t.Errorf("--max-time 1s crawl took %v", d)
	}
	if len(r.records) != 5 {
		t.Errorf("%d records, want the 5 pages that answer", len(r.records))
	}
}

func waitTimeout(cmd *exec.Cmd, d time.Duration) error {
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(d):
		cmd.Process.Kill()
		<-done
		return fmt.Errorf("did not exit within %v", d)
	}
}
