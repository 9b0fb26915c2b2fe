package main

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/crawlhq/crawl/internal/testsite"
)

// redisURL returns the Redis the shared-crawl tests use (CRAWL_TEST_REDIS,
// e.g. 127.0.0.1:6390, as .ci/run sets it), skipping the test without it.
func redisURL(t *testing.T) string {
	t.Helper()
	addr := os.Getenv("CRAWL_TEST_REDIS")
	if addr == "" {
		t.Skip("CRAWL_TEST_REDIS is not set: start `redis-server --port 6390 --save '' --appendonly no` and set CRAWL_TEST_REDIS=127.0.0.1:6390 to run the shared-crawl tests")
	}
	return "redis://" + addr + "/0"
}

// crawlID is a crawl id of this test's own.
func crawlID(t *testing.T) string {
	return fmt.Sprintf("e2e-%s-%d", strings.ReplaceAll(t.Name(), "/", "-"), time.Now().UnixNano())
}

// startN starts n crawl processes with args, each writing its records to
// its own file in dir; it returns the commands and the files.
func startN(t *testing.T, n int, dir string, args ...string) ([]*exec.Cmd, []string) {
	t.Helper()
	var cmds []*exec.Cmd
	var outs []string
	for i := range n {
		out := filepath.Join(dir, fmt.Sprintf("part-%d.jsonl", i))
		cmd, _ := startAppending(t, out, args...)
		cmds = append(cmds, cmd)
		outs = append(outs, out)
	}
	t.Cleanup(func() {
		for _, c := range cmds {
			c.Process.Kill()
		}
	})
	return cmds, outs
}

// union counts the records per URL over every output file.
func union(t *testing.T, outs []string) map[string]int {
	t.Helper()
	counts := map[string]int{}
	for _, o := range outs {
		data, err := os.ReadFile(o)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range parseLines(t, string(data)) {
			counts[r["url"].(string)]++
		}
	}
	return counts
}

func waitAll(t *testing.T, cmds []*exec.Cmd, d time.Duration) {
	t.Helper()
	for i, c := range cmds {
		if err := waitTimeout(c, d); err != nil {
			t.Fatalf("process %d: %v", i, err)
		}
	}
}

func TestSharedThreeProcesses(t *testing.T) {
	rurl := redisURL(t)
	const pages = 1200
	site, rec, url := siteServer(t, testsite.SiteConfig{Pages: pages, Size: 1024, Links: 10, Latency: 2 * time.Millisecond})
	cmds, outs := startN(t, 3, t.TempDir(), args("--frontier", rurl, "--crawl-id", crawlID(t),
		"-c", "8", "--per-host", "5", "-d", "-1", url+"/p/0")...)
	waitAll(t, cmds, 60*time.Second)
	counts := union(t, outs)
	for i := range pages {
		if u := url + testsite.Path(i); counts[u] != 1 {
			t.Fatalf("%s recorded %d times in the union, want once", u, counts[u])
		}
	}
	if cov := site.Coverage(); cov.Hit != pages || cov.PageHits != pages {
		t.Errorf("server: %d pages hit, %d page requests; want %d each", cov.Hit, cov.PageHits, pages)
	}
	if site.RobotsHits() != 1 {
		t.Errorf("robots.txt fetched %d times by three processes, want once", site.RobotsHits())
	}
	if m := rec.MaxInFlight(); m > 5 {
		t.Errorf("server saw %d requests in flight; --per-host 5 across all processes", m)
	}
	busy := 0
	for _, o := range outs {
		if st, _ := os.Stat(o); st.Size() > 0 {
			busy++
		}
	}
	if busy < 2 {
		t.Errorf("only %d of 3 processes wrote records", busy)
	}
}

func TestSharedRate(t *testing.T) {
	rurl := redisURL(t)
	const pages = 24
	_, rec, url := siteServer(t, testsite.SiteConfig{Pages: pages, Size: 256, Links: 4})
	cmds, _ := startN(t, 3, t.TempDir(), "--progress", "never", "--frontier", rurl, "--crawl-id", crawlID(t),
		"--rate", "20", "--per-host", "2", "-d", "-1", url+"/p/0")
	waitAll(t, cmds, 60*time.Second)
	reqs := rec.Requests()
	if len(reqs) != pages+1 {
		t.Fatalf("%d requests, want %d", len(reqs), pages+1)
	}
	// 20/s across the three processes: handouts 50 ms apart. A request
	// reaches the server a little after its handout (a new connection, a
	// busy machine), so single gaps may shrink; three processes each at
	// 20/s would make them about 17 ms, and the whole crawl 3 times shorter.
	for i := 1; i < len(reqs); i++ {
		if gap := reqs[i].Start.Sub(reqs[i-1].Start); gap < 25*time.Millisecond {
			t.Errorf("requests %s and %s %v apart; --rate 20 across processes wants 50ms", reqs[i-1].Path, reqs[i].Path, gap)
		}
	}
	if span, min := reqs[len(reqs)-1].Start.Sub(reqs[0].Start), time.Duration(len(reqs)-1)*45*time.Millisecond; span < min {
		t.Errorf("%d requests in %v; --rate 20 across processes needs at least %v", len(reqs), span, min)
	}
}

func TestSharedKillOne(t *testing.T) {
	rurl := redisURL(t)
	const pages, conc = 1200, 6
	site, rec, url := siteServer(t, testsite.SiteConfig{Pages: pages, Size: 1024, Links: 10, Latency: 2 * time.Millisecond})
	cmds, outs := startN(t, 3, t.TempDir(), args("--frontier", rurl, "--crawl-id", crawlID(t), "--lease-ttl", "2s",
		"-c", fmt.Sprint(conc), "--per-host", "12", "-d", "-1", url+"/p/0")...)
	if !rec.WaitTotal(300, 30*time.Second) {
		t.Fatal("crawl did not get going")
	}
	cmds[0].Process.Kill()
	cmds[0].Wait()
	waitAll(t, cmds[1:], 60*time.Second)
	counts := union(t, outs)
	dups := 0
	for i := range pages {
		u := url + testsite.Path(i)
		if counts[u] == 0 {
			t.Fatalf("%s was lost", u)
		}
		dups += counts[u] - 1
	}
	// Fetched again: the killed process's leases (conc in flight, and as
	// many finished but not yet written).
	if extra := site.Coverage().PageHits - pages; extra > 2*conc {
		t.Errorf("%d pages fetched again; the killed process held at most %d", extra, 2*conc)
	}
	if dups > 2*conc {
		t.Errorf("%d duplicate records", dups)
	}
}

func TestSharedRedisRestart(t *testing.T) {
	redisURL(t)
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Skip("redis-server is not in PATH")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
	l.Close()
	dir := t.TempDir()
	startRedis := func() *exec.Cmd {
		cmd := exec.Command("redis-server", "--port", port, "--bind", "127.0.0.1", "--save", "",
			"--appendonly", "yes", "--appendfsync", "always", "--dir", dir)
		stdout, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if strings.Contains(sc.Text(), "Ready to accept connections") {
				go func() {
					for sc.Scan() {
					}
				}()
				return cmd
			}
		}
		t.Fatal("redis-server did not start")
		return nil
	}
	redis := startRedis()
	t.Cleanup(func() { redis.Process.Kill(); redis.Wait() })

	const pages = 800
	_, rec, url := siteServer(t, testsite.SiteConfig{Pages: pages, Size: 512, Links: 10, Latency: 3 * time.Millisecond})
	cmds, outs := startN(t, 2, t.TempDir(), args("--frontier", "redis://127.0.0.1:"+port+"/0",
		"--crawl-id", crawlID(t), "-c", "4", "--per-host", "8", "-d", "-1", url+"/p/0")...)
	if !rec.WaitTotal(150, 30*time.Second) {
		t.Fatal("crawl did not get going")
	}
	redis.Process.Kill() // a crash, then a restart from its append-only file
	redis.Wait()
	redis = startRedis()
	waitAll(t, cmds, 90*time.Second)
	counts := union(t, outs)
	for i := range pages {
		if u := url + testsite.Path(i); counts[u] == 0 {
			t.Fatalf("%s was lost across the Redis restart", u)
		}
	}
}

func TestSharedRedisUnreachable(t *testing.T) {
	start := time.Now()
	r := run(t, "", args("--frontier", "redis://127.0.0.1:1/0", "http://127.0.0.1:1/")...)
	wantCode(t, r, 1)
	if !strings.Contains(r.stderr, "127.0.0.1:1") {
		t.Errorf("stderr does not name the Redis address: %q", r.stderr)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %v to give up", d)
	}
	for _, bad := range []string{"http://127.0.0.1:6379", "redis://", "127.0.0.1:6379"} {
		r := run(t, "", args("--frontier", bad, "http://127.0.0.1:1/")...)
		wantCode(t, r, 2)
	}
	r = run(t, "", args("--crawl-id", "x", "http://127.0.0.1:1/")...)
	wantCode(t, r, 2)
	r = run(t, "", args("--frontier", "redis://127.0.0.1:1/0", "--crawl-id", "bad id!", "http://127.0.0.1:1/")...)
	wantCode(t, r, 2)
}
