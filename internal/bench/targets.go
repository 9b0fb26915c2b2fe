package bench

import "fmt"

// The goals of issue "make crawl the fastest and leanest crawler on one
// machine".
const (
	minOfFetch     = 0.5  // crawl pages/s ÷ fetch-only pages/s
	minOfColly     = 4.0  // crawl pages/s ÷ colly pages/s
	maxRSS20k      = 60e6 // bytes, throughput row
	maxBytesPerURL = 100  // scale row, at 1M pages
	minLastTenth   = 0.8  // last tenth's pages/s ÷ first tenth's
	maxPoliteRatio = 1.1  // polite wall time ÷ ideal
)

// targets says, for every goal, whether the medians meet it.
func targets(r *Results, cfg *Config) []Target {
	tp := r.scenario(Throughput)
	crawl, fetch, colly := tp.median(toolCrawl), tp.median(toolFetch), tp.median(toolColly)
	sc := r.scenario(Scale).median(toolCrawl)
	po := r.scenario(Polite)
	var ts []Target
	add := func(name string, have bool, value func() (string, bool)) {
		t := Target{Name: name, Status: "n/a", Value: "not measured"}
		if have {
			v, ok := value()
			t.Value, t.Status = v, status(ok)
		}
		ts = append(ts, t)
	}
	add(fmt.Sprintf("throughput >= %.0f%% of fetch-only", minOfFetch*100), crawl != nil && fetch != nil, func() (string, bool) {
		ratio := crawl.PagesPerS / fetch.PagesPerS
		return fmt.Sprintf("%.0f%% (%.0f vs %.0f pages/s)", ratio*100, crawl.PagesPerS, fetch.PagesPerS), ratio >= minOfFetch
	})
	add(fmt.Sprintf("throughput >= %.0fx colly", minOfColly), crawl != nil && colly != nil, func() (string, bool) {
		ratio := crawl.PagesPerS / colly.PagesPerS
		return fmt.Sprintf("%.2fx (%.0f vs %.0f pages/s)", ratio, crawl.PagesPerS, colly.PagesPerS), ratio >= minOfColly
	})
	add(fmt.Sprintf("peak RSS < %s crawling %d pages", mb(maxRSS20k), cfg.Pages), crawl != nil, func() (string, bool) {
		return mb(crawl.MaxRSS), crawl.MaxRSS < maxRSS20k
	})
	perURL := fmt.Sprintf("<= %d bytes/URL at 1000000 pages", maxBytesPerURL)
	if cfg.ScalePages != 1000000 {
		perURL += fmt.Sprintf(" (measured at %d)", cfg.ScalePages)
	}
	add(perURL, sc != nil, func() (string, bool) {
		return fmt.Sprintf("%.0f B/URL", sc.BytesPerURL), sc.BytesPerURL <= maxBytesPerURL
	})
	add(fmt.Sprintf("last tenth pages/s within %.0f%% of first", (1-minLastTenth)*100), sc != nil && len(sc.TenthsPerS) == 10, func() (string, bool) {
		ratio := sc.TenthsPerS[9] / sc.TenthsPerS[0]
		return fmt.Sprintf("%.2f (%.0f vs %.0f pages/s)", ratio, sc.TenthsPerS[9], sc.TenthsPerS[0]), ratio >= minLastTenth
	})
	politeCrawl := po.median(toolCrawl)
	add(fmt.Sprintf("polite many-host within %.0f%% of ideal", (maxPoliteRatio-1)*100), politeCrawl != nil, func() (string, bool) {
		ratio := politeCrawl.WallS / po.IdealS
		return fmt.Sprintf("%.3fx (%.2f s vs %.2f s)", ratio, politeCrawl.WallS, po.IdealS), ratio <= maxPoliteRatio
	})
	add("crawl requests every page exactly once", crawl != nil || sc != nil || politeCrawl != nil, func() (string, bool) {
		ok, value := true, ""
		for _, m := range []struct {
			name string
			s    *Sample
		}{{Throughput, crawl}, {Throughput + " +robots", tp.median(toolCrawlRobots)}, {Polite, politeCrawl}, {Scale, sc}} {
			if m.s != nil && !m.s.Complete {
				ok = false
				value += fmt.Sprintf("%s: %s; ", m.name, m.s.Coverage)
			}
		}
		if ok {
			value = "yes, in every row measured"
		}
		return value, ok
	})
	return ts
}

func status(ok bool) string {
	if ok {
		return "met"
	}
	return "missed"
}
