package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/crawlhq/crawl/internal/urlnorm"
)

// readSeeds gathers the seeds from the arguments and the seed files (-
// is stdin), checks every one, and returns them normalized. A bad seed is
// a usage error naming where it came from.
func readSeeds(args, files []string, stdin io.Reader) ([]string, error) {
	var seeds []string
	for i, a := range args {
		u, err := checkSeed(a)
		if err != nil {
			return nil, usagef("bad seed %q (argument %d): %v", a, i+1, err)
		}
		seeds = append(seeds, u)
	}
	for _, name := range files {
		got, err := readSeedFile(name, stdin)
		if err != nil {
			return nil, err
		}
		seeds = append(seeds, got...)
	}
	if len(seeds) == 0 {
		return nil, usagef("no seed URLs: give them as arguments or with --seeds FILE")
	}
	return seeds, nil
}

func readSeedFile(name string, stdin io.Reader) ([]string, error) {
	r := stdin
	label := "stdin"
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, usagef("--seeds: %v", err)
		}
		defer f.Close()
		r, label = f, name
	}
	var seeds []string
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if n == 1 {
			line = strings.TrimPrefix(line, "\ufeff") // a byte-order mark
		}
		line = strings.TrimSpace(line) // also drops the \r of CRLF
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		u, err := checkSeed(line)
		if err != nil {
			return nil, usagef("bad seed %q (%s line %d): %v", line, label, n, err)
		}
		seeds = append(seeds, u)
	}
	if err := sc.Err(); err != nil {
		return nil, usagef("--seeds %s: %v", label, err)
	}
	return seeds, nil
}

func checkSeed(s string) (string, error) {
	u, err := urlnorm.Normalize(s)
	if err != nil {
		return "", err
	}
	if len(u) > urlnorm.MaxLen {
		return "", fmt.Errorf("longer than %d bytes", urlnorm.MaxLen)
	}
	return u, nil
}
