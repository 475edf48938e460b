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
//        composecheck --merge FILE FILE...   (the files as one project, as
//        `docker compose -f FILE -f FILE` or a file and its override load them)
package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/compose-spec/compose-go/v2/cli"
)

func check(ctx context.Context, files ...string) error {
	abs := make([]string, len(files))
	for i, file := range files {
		a, err := filepath.Abs(file)
		if err != nil {
			return err
		}
		abs[i] = a
	}
	opts, err := cli.NewProjectOptions(
		abs,
		cli.WithWorkingDirectory(filepath.Dir(abs[0])),
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
	if len(os.Args) < 2 || (os.Args[1] == "--merge" && len(os.Args) < 3) {
		fmt.Fprintln(os.Stderr, "usage: composecheck FILE [FILE...] | composecheck --merge FILE FILE...")
		os.Exit(2)
	}
	if os.Args[1] == "--merge" {
		files := os.Args[2:]
		if err := check(context.Background(), files...); err != nil {
			fmt.Fprintf(os.Stderr, "%v: INVALID: %v\n", files, err)
			os.Exit(1)
		}
		fmt.Printf("%v: valid\n", files)
		return
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
