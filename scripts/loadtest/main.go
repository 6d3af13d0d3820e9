// Command loadtest benchmarks stonode's eligibility look-up over real HTTP on
// loopback next to a bare gin handler. It is driven by scripts/bench-eligibility.sh.
//
//	loadtest bare   --addr 127.0.0.1:0 [--addr-file F]
//	loadtest seed   --url http://127.0.0.1:P --operator-key K [--investors 1000] [--addresses F] [--env F]
//	loadtest run    --url U --path-template '/v1/issuances/1/eligibility/{address}' --key K --addresses F [--out F.json]
//	loadtest report --stonode S.json --bare B.json [--log-level warn] [--db sqlite]
//
// Every loop is bounded (fixed durations, fixed counts, per-request timeouts) and
// only loopback targets are accepted.
package main

import (
	"fmt"
	"net"
	"os"
)

const usage = `loadtest — HTTP load generator for stonode's eligibility look-up

Usage:
  loadtest bare   --addr 127.0.0.1:0 [--addr-file FILE]
  loadtest seed   --url URL --operator-key KEY [--investors N] [--addresses FILE] [--env FILE]
  loadtest run    --url URL --path-template TPL [--key KEY] --addresses FILE [flags]
  loadtest report --stonode FILE.json --bare FILE.json [flags]
  loadtest freeport   (prints a currently free 127.0.0.1 TCP port)

Run "loadtest <command> -h" for a command's flags.
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "bare":
		err = bareCmd(os.Args[2:])
	case "seed":
		err = seedCmd(os.Args[2:])
	case "run":
		err = runCmd(os.Args[2:])
	case "report":
		err = reportCmd(os.Args[2:])
	case "freeport":
		err = freePort()
	case "help", "-h", "--help":
		fmt.Print(usage)
		return
	default:
		fmt.Fprint(os.Stderr, usage)
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

// freePort prints a loopback TCP port that was free a moment ago.
func freePort() error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	defer ln.Close()
	fmt.Println(ln.Addr().(*net.TCPAddr).Port)
	return nil
}
