package main

import (
	"github.com/salesout/salesout/pipeline"
	"github.com/salesout/salesout/pipeline/output/iceberg"
)

// The Iceberg output links iceberg-go (and its cloud SDKs): the binary registers it, so
// that the pipeline package and its tests stay without it.
func init() { pipeline.RegisterOutput("iceberg", iceberg.FromConfig) }
