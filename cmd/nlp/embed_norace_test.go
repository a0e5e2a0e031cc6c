//go:build !race

package main

const embedRace = false
