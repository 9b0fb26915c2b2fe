package main

import (
	"fmt"
	"strconv"
	"strings"
)

// size is a byte-count flag: a plain number of bytes, or a number with
// B, KB, KiB, MB, MiB, GB or GiB (case-insensitive).
type size int64

var sizeUnits = []struct {
	suffix string
	mult   int64
}{
	// longest first, so "KiB" is not read as "B"
	{"kib", 1 << 10}, {"mib", 1 << 20}, {"gib", 1 << 30},
	{"kb", 1e3}, {"mb", 1e6}, {"gb", 1e9},
	{"k", 1 << 10}, {"m", 1 << 20}, {"g", 1 << 30},
	{"b", 1},
}

func (s *size) Type() string { return "size" }

func (s size) String() string {
	n := int64(s)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if n >= u.mult && n%u.mult == 0 {
			return strconv.FormatInt(n/u.mult, 10) + u.suffix
		}
	}
	return strconv.FormatInt(n, 10) + "B"
}

func (s *size) Set(v string) error {
	t := strings.ToLower(strings.TrimSpace(v))
	mult := int64(1)
	for _, u := range sizeUnits {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.mult
			break
		}
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || f < 0 || f*float64(mult) > 1<<62 || t == "" || strings.ContainsAny(t, "einfxp") {
		return fmt.Errorf("want a size such as 10MiB, 512KB or 1048576")
	}
	*s = size(f * float64(mult))
	return nil
}
