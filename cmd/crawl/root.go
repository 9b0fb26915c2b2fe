package main

import (
	"io"

	"github.com/spf13/cobra"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0"

const projectURL = "https://github.com/crawlhq/crawl"

const longHelp = `crawl fetches the seed URLs, follows the links it finds, and writes one JSON
object per fetched URL to stdout, as soon as the URL is done.

It is polite by default: at most 2 requests in flight and 2 requests per
second to any one host, robots.txt (and its Crawl-delay) obeyed, links with
rel=nofollow not followed, and a User-Agent that says who it is.

Seeds come from the arguments, from --seeds FILE (one per line, # comments)
and from --seeds - (stdin). Each must be an absolute http or https URL.

Output fields: url, depth, parent, status, redirect, content_type, size,
truncated, title, links, fetched_at, duration_ms, attempts, error.

Exit status:
  0    the crawl ran to its end (failed URLs are records with "error")
  1    it could not run or finish (output not writable)
  2    usage error: bad flag, flag value or seed; nothing was fetched
  130  stopped by SIGINT (Ctrl-C) after flushing finished records
  143  stopped by SIGTERM after flushing finished records`

// newRootCmd builds the crawl command; flags are bound to a fresh options.
func newRootCmd(stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	o := defaultOptions()
	cmd := &cobra.Command{
		Use:           "crawl [flags] [URL...]",
		Short:         "A concurrent, polite web crawler: seed URLs in, JSON lines out",
		Long:          longHelp,
		Version:       version,
		Args:          cobra.ArbitraryArgs,
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			return crawl(cmd.Context(), o, args, stdin, stdout, stderr)
		},
	}
	cmd.SetOut(stdout)
	cmd.SetErr(stderr)
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &usageError{err}
	})
	o.bind(cmd.Flags())
	cmd.AddCommand(newStateCmd(stdout))
	return cmd
}
