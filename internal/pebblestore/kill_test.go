package pebblestore

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/crawlhq/crawl/internal/frontier"
)

const killDirEnv = "PEBBLESTORE_TEST_KILL_DIR"

// TestKill9 runs a crawl's use of the state in a child process, kills it
// with SIGKILL while leases are out, and resumes: completed URLs never
// come back, leased and queued ones all do, in order.
func TestKill9(t *testing.T) {
	if os.Getenv(killDirEnv) != "" {
		t.Skip("in the child")
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestKillChild$", "-test.v")
	cmd.Env = append(os.Environ(), killDirEnv+"="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if !waitFor(bufio.NewScanner(out), "READY") {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatal("child did not get ready")
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()

	_, f := open(t, dir, Options{})
	var known []frontier.Item
	for i := range 50 {
		known = append(known, items("http://a", fmt.Sprintf("/%d", i))...)
	}
	if n := mustPush(t, f, known...); n != 0 {
		t.Fatalf("completed URLs pushed again: %d added", n)
	}
	var want []string
	for i := 50; i < 200; i++ {
		want = append(want, fmt.Sprintf("http://a/%d", i))
	}
	if got := drain(t, f); !slices.Equal(got, want) {
		t.Fatalf("after kill -9 got %d URLs %v...; want /50 to /199", len(got), got[:min(5, len(got))])
	}
}

func waitFor(s *bufio.Scanner, line string) bool {
	done := make(chan bool, 1)
	go func() {
		for s.Scan() {
			if strings.TrimSpace(s.Text()) == line {
				done <- true
				return
			}
		}
		done <- false
	}()
	select {
	case ok := <-done:
		return ok
	case <-time.After(30 * time.Second):
		return false
	}
}

// TestKillChild is the child of TestKill9: it pushes 200 URLs, completes
// 50, leases 3 more and waits to be killed.
func TestKillChild(t *testing.T) {
	dir := os.Getenv(killDirEnv)
	if dir == "" {
		t.Skip("run by TestKill9")
	}
	db, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	f, err := db.Frontier(frontier.Config{PerHost: 10})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		var batch []frontier.Item
		for j := range 10 {
			batch = append(batch, items("http://a", fmt.Sprintf("/%d", i*10+j))...)
		}
		mustPush(t, f, batch...)
	}
	for range 50 {
		finish(t, f, mustNext(t, f), ok200)
	}
	for range 3 {
		l := mustNext(t, f)
		if err := f.Release(context.Background(), l, true); err != nil {
			t.Fatal(err)
		}
	}
	fmt.Println("READY")
	select {}
}
