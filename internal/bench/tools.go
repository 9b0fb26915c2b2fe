package bench

import (
	"context"
	"debug/buildinfo"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// tool is a program a scenario runs.
type tool struct {
	name    string
	version string
	skip    string // why it cannot run; empty when it can
	// command returns the command for one run from seeds, and what to
	// clean up after it.
	command func(seeds []string) (command, func(), error)
}

// Throughput-row tool names; targets look them up.
const (
	toolCrawl       = "crawl"
	toolCrawlRobots = "crawl +robots"
	toolFetch       = "fetch-only"
	toolColly       = "colly"
	toolWget2       = "wget2"
)

// fastFlags are crawl's flags for the throughput and scale rows: no
// politeness, no depth limit, nothing on stderr.
func (cfg *Config) fastFlags() []string {
	c := strconv.Itoa(cfg.Concurrency)
	return []string{"--rate", "0", "-c", c, "--per-host", c, "--max-depth", "-1", "--progress", "never", "-q"}
}

// crawlTool runs bin/crawl with flags and the seeds; records is how many
// lines it should print.
func (cfg *Config) crawlTool(name string, records int, flags ...string) tool {
	path := filepath.Join(cfg.Bin, "crawl")
	flags = append(slices.Clone(flags), cfg.CrawlArgs...)
	t := tool{name: name, command: func(seeds []string) (command, func(), error) {
		return command{path: path, args: append(append([]string(nil), flags...), seeds...), records: records}, nil, nil
	}}
	if _, err := os.Stat(path); err != nil {
		t.skip = path + " not found: does ./cmd/crawl build? (make bench builds it)"
		return t
	}
	if f := strings.Fields(firstLine(path, "--version")); len(f) > 0 {
		t.version = f[len(f)-1] // crawl version v1.2.3
	}
	return t
}

// fetchTool runs this program's fetchloop subcommand over base/p/0 ..
// base/p/pages-1.
func (cfg *Config) fetchTool(base string, pages int) tool {
	return tool{name: toolFetch, version: "net/http", command: func([]string) (command, func(), error) {
		args := []string{"fetchloop", "-c", strconv.Itoa(cfg.Concurrency), base, strconv.Itoa(pages)}
		return command{path: cfg.Self, args: args}, nil, nil
	}}
}

// collyTool runs bin/colly-crawl, built from bench/colly.
func (cfg *Config) collyTool() tool {
	path := filepath.Join(cfg.Bin, "colly-crawl")
	t := tool{name: toolColly, command: func(seeds []string) (command, func(), error) {
		return command{path: path, args: append([]string{"-c", strconv.Itoa(cfg.Concurrency)}, seeds...)}, nil, nil
	}}
	info, err := buildinfo.ReadFile(path)
	if err != nil {
		t.skip = path + " not found: make bench-peers builds it from bench/colly"
		return t
	}
	for _, dep := range info.Deps {
		if dep.Path == "github.com/gocolly/colly/v2" {
			t.version = dep.Version
		}
	}
	return t
}

// wget2Tool runs wget2 recursively into a temporary directory.
func (cfg *Config) wget2Tool() tool {
	t := tool{name: toolWget2, command: func(seeds []string) (command, func(), error) {
		dir, err := os.MkdirTemp("", "crawlbench-wget2-")
		if err != nil {
			return command{}, nil, err
		}
		args := []string{"-q", "-r", "-l", "0", "--max-threads", strconv.Itoa(cfg.Concurrency), "--no-robots", "-P", dir}
		return command{path: "wget2", args: append(args, seeds...)}, func() { os.RemoveAll(dir) }, nil
	}}
	if _, err := exec.LookPath("wget2"); err != nil {
		t.skip = "wget2 not installed: apt-get install wget2"
		return t
	}
	if f := strings.Fields(firstLine("wget2", "--version")); len(f) >= 3 {
		t.version = f[2] // GNU Wget2 1.99.1 - ...
	}
	return t
}

// firstLine runs a short command and returns the first line it printed.
func firstLine(path string, args ...string) string {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, path, args...).Output()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		return ""
	}
	line, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	return line
}
