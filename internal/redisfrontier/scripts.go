package redisfrontier

import (
	"context"
	"embed"
	"strconv"

	"github.com/redis/go-redis/v9"
)

//go:embed lua/*.lua
var luaFiles embed.FS

// The scripts, each lua/common.lua followed by its own file. Every one
// takes the same first four arguments (see common.lua) and computes its
// key names from the crawl's prefix.
var (
	pushScript     = script("push")
	claimScript    = script("claim")
	releaseScript  = script("release")
	completeScript = script("complete")
	retryScript    = script("retry")
	delayScript    = script("delay")
	renewScript    = script("renew")
	givebackScript = script("giveback")
	addScript      = script("add")
)

func script(name string) *redis.Script {
	common, err := luaFiles.ReadFile("lua/common.lua")
	if err != nil {
		panic(err)
	}
	body, err := luaFiles.ReadFile("lua/" + name + ".lua")
	if err != nil {
		panic(err)
	}
	return redis.NewScript(string(common) + string(body))
}

// politeness is what every script is told of the caller: its clock and
// its --rate and --per-host.
type politeness struct {
	interval int64 // µs between handouts of one host
	perHost  int
}

// run runs s once with the common arguments followed by args. It sends
// EVALSHA, and the script itself only when Redis does not have it (as
// after a restart). The meta key is declared, though the script computes
// the others, so that a cluster client would route it to the crawl's slot.
func (c *Client) run(ctx context.Context, s *redis.Script, now int64, pol politeness, args ...any) *redis.Cmd {
	all := make([]any, 0, 4+len(args))
	all = append(all, c.prefix, strconv.FormatInt(now, 10), strconv.FormatInt(pol.interval, 10), pol.perHost)
	all = append(all, args...)
	return s.Run(ctx, c.rdb, c.meta, all...)
}
