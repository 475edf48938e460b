// composecheck validates docker-compose files without a container engine.
//
// It loads each file with compose-go (the library the docker compose CLI is
// built on). The loader validates the file against the Compose Specification
// JSON schema embedded in the library, then checks the model (unknown keys,
// wrong types, services that depend on undefined services, undefined volumes
// or networks, ...). Exit status: 0 when every file is valid, 1 otherwise, 2 on
// bad usage.
//
// Usage: composecheck FILE [FILE...]
package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/compose-spec/compose-go/v2/cli"
)

func check(ctx context.Context, file string) error {
	abs, err := filepath.Abs(file)
	if err != nil {
		return err
	}
	opts, err := cli.NewProjectOptions(
		[]string{abs},
		cli.WithWorkingDirectory(filepath.Dir(abs)),
		cli.WithName("composecheck"),
		// No .env file and no process environment: the file must be valid with
		// its own defaults, as on a fresh checkout.
		cli.WithResolvedPaths(true),
	)
	if err != nil {
		return err
	}
	project, err := opts.LoadProject(ctx)
	if err != nil {
		return err
	}
	if len(project.Services) == 0 {
		return fmt.Errorf("no services defined")
	}
	return nil
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: composecheck FILE [FILE...]")
		os.Exit(2)
	}
	failed := false
	for _, file := range os.Args[1:] {
		if err := check(context.Background(), file); err != nil {
			fmt.Fprintf(os.Stderr, "%s: INVALID: %v\n", file, err)
			failed = true
			continue
		}
		fmt.Printf("%s: valid\n", file)
	}
	if failed {
		os.Exit(1)
	}
}
