// Command pulumi-resource-kafka is the resource provider the @pulumi/kafka npm SDK talks to, built here from
// the Terraform provider it bridges (github.com/Mongey/terraform-provider-kafka) with Pulumi's Terraform
// bridge, because the Go module proxy serves no version of github.com/pulumi/pulumi-kafka/provider/v3.
// The mapping (tokens, names) is in ./mapping. The Pulumi package schema is generated from that mapping by
// ./schema into schema-embed.json (gitignored; scripts/setup-engine writes it before building this) and served
// by GetSchema (`pulumi package get-schema`, code generation by `pulumi import`); the bridge also type-checks
// resource inputs against it (warnings only).
package main

import (
	_ "embed"

	"connectcluster.local/engine/kafka/mapping"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"
)

// version is the @pulumi/kafka npm version this mapping follows; stamped with -ldflags -X main.version=...
var version = "3.13.2"

//go:embed schema-embed.json
var schema []byte

func main() {
	tfbridge.Main("kafka", version, mapping.ProviderInfo(version, ""), schema)
}
