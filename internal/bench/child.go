package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"time"
)

// command is one child process to measure.
type command struct {
	path string
	args []string
	// records, when more than 0, is how many stdout lines the run should
	// print; the time each tenth of them is reached is noted.
	records int
}

func (c command) String() string { return c.path + " " + strings.Join(c.args, " ") }

// run is what one child process did.
type run struct {
	wall    time.Duration
	cpu     time.Duration // user + system
	maxRSS  int64         // bytes
	lines   int64         // stdout lines
	marks   []time.Duration
	stderr  string // its last few KiB
	failure error  // nil when it exited 0 in time
}

// measure runs c until it exits or timeout passes, reading and
// discarding its stdout.
func measure(ctx context.Context, c command, timeout time.Duration) run {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, c.path, c.args...)
	// The child leads a process group of its own, and a timeout kills
	// the whole group, so a wrapper script's children go too.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	out := &lineCounter{records: c.records}
	errs := &tail{max: 4 << 10}
	cmd.Stdout, cmd.Stderr = out, errs
	out.start = time.Now()
	err := cmd.Run()
	r := run{wall: time.Since(out.start), stderr: errs.String()}
	r.lines, r.marks = out.result()
	if st := cmd.ProcessState; st != nil {
		if ru, ok := st.SysUsage().(*syscall.Rusage); ok {
			r.cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
			r.maxRSS = ru.Maxrss * rssUnit()
		}
	}
	switch {
	case ctx.Err() != nil && !errors.Is(context.Cause(ctx), context.Canceled):
		r.failure = fmt.Errorf("killed after %v (-timeout)", timeout)
	case err != nil:
		r.failure = err
	}
	return r
}

// rssUnit is the unit of Rusage.Maxrss in bytes: KiB on Linux, bytes
// on macOS.
func rssUnit() int64 {
	if runtime.GOOS == "darwin" {
		return 1
	}
	return 1024
}

// lineCounter counts the lines written to it and notes when the count
// reached each tenth of records, and the first line. It is written by
// os/exec's copying goroutine and read after Wait, but locks anyway so
// that a killed child's late writes cannot race.
type lineCounter struct {
	start   time.Time
	records int
	mu      sync.Mutex
	lines   int64
	marks   []time.Duration // first line, then each tenth
}

func (l *lineCounter) Write(p []byte) (int, error) {
	now := time.Since(l.start)
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines += int64(bytes.Count(p, []byte{'\n'}))
	if l.records <= 0 || len(p) == 0 {
		return len(p), nil
	}
	if len(l.marks) == 0 {
		l.marks = append(l.marks, now)
	}
	for len(l.marks) <= 10 && l.lines >= int64(len(l.marks))*int64(l.records)/10 {
		l.marks = append(l.marks, now)
	}
	return len(p), nil
}

func (l *lineCounter) result() (int64, []time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lines, l.marks
}

// tail keeps the last max bytes written to it.
type tail struct {
	max int
	mu  sync.Mutex
	buf []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - t.max; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.TrimSpace(string(t.buf))
}
