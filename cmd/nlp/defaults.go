package main

// The defaults of the training flags are not written here: each command takes
// them from its package's Config{}.WithDefaults() (tagger, classify, generate,
// embed), so that the help cannot drift from what the library does, and
// TestFlagDefaults checks every flag that names a Config field. What follows
// are the command line's own choices, which no Config holds.

// cliSeed is the default of every --seed flag. A Config has no default seed
// (0 is a seed like any other); the command line uses 1 so that the runs
// recorded in BENCHMARKS.md and the golden tests repeat.
const cliSeed = 1
