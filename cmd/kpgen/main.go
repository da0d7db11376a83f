// Command kpgen renders kube-prometheus and kpgen's mixins from one vars file
// per cluster, validates every rule and manifest, and writes reviewable YAML
// into out/<cluster>/.
package main

import (
	"os"

	"github.com/kpgen/kpgen/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr))
}
