// Package fetch does one URL's HTTP work for the crawler.
//
// # Basics
//
// A Fetcher holds one tuned http.Client, shared by every worker, that
// keeps connections to a host alive across its requests. Get makes one
// attempt at one URL: the attempt's timeout covers connecting, the
// request, and reading the body to its end; the body is read through a
// limit applied after decompression (gzip), so a compressed bomb costs at
// most the limit. Redirects are not followed: a 3xx is a response like
// any other, whose target the crawler schedules itself.
//
// Robots fetches a host's robots.txt, following up to five redirects and
// reading at most 500 KiB, as RFC 9309 asks.
//
// Policy decides whether and when a failed attempt is tried again:
// network errors, timeouts and the statuses 408, 429, 500, 502, 503 and
// 504 are retried after an exponential backoff with jitter, or after the
// server's Retry-After when that is longer. The caller does the waiting
// (the crawler re-queues the URL in its frontier, so no worker sleeps).
//
// # Caveats
//
// An attempt that fails has its error in Response.Err; Get itself never
// fails. Message turns such an error into the short, stable text the
// crawler writes in its records.
package fetch
