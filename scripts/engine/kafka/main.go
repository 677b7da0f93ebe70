// Command pulumi-resource-kafka is the resource provider the @pulumi/kafka npm SDK talks to, built here from
// the Terraform provider it bridges (github.com/Mongey/terraform-provider-kafka) with Pulumi's Terraform
// bridge, because the Go module proxy serves no version of github.com/pulumi/pulumi-kafka/provider/v3.
// The resource and function tokens are the npm SDK's (kafka:index/topic:Topic, kafka:index:getTopic, ...), and
// the property names are the bridge's default camelCase of the Terraform names, which are the SDK's, so its
// Provider, Topic, Acl, Quota, UserScramCredential, getTopic and getTopics work unchanged.
// It carries no Pulumi package schema (Main gets nil): the engine does not need one for preview, up, refresh or
// destroy; without it the bridge skips its advisory input type check, and GetSchema answers an empty schema,
// so tools that read it (`pulumi package get-schema`, code generation by `pulumi import`) do not work.
package main

import (
	kafka "github.com/Mongey/terraform-provider-kafka/kafka"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"
	shimv2 "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfshim/sdk-v2"
)

// version is the @pulumi/kafka npm version this mapping follows; stamped with -ldflags -X main.version=...
var version = "3.13.2"

func providerInfo() tfbridge.ProviderInfo {
	return tfbridge.ProviderInfo{
		P:           shimv2.NewProvider(kafka.Provider()),
		Name:        "kafka",
		Version:     version,
		DisplayName: "Kafka",
		License:     "Apache-2.0",
		Repository:  "https://github.com/Mongey/terraform-provider-kafka",
		Resources: map[string]*tfbridge.ResourceInfo{
			"kafka_topic":                 {Tok: "kafka:index/topic:Topic"},
			"kafka_acl":                   {Tok: "kafka:index/acl:Acl"},
			"kafka_quota":                 {Tok: "kafka:index/quota:Quota"},
			"kafka_user_scram_credential": {Tok: "kafka:index/userScramCredential:UserScramCredential"},
		},
		DataSources: map[string]*tfbridge.DataSourceInfo{
			"kafka_topic":  {Tok: "kafka:index:getTopic"},
			"kafka_topics": {Tok: "kafka:index:getTopics"},
		},
	}
}

func main() {
	tfbridge.Main("kafka", version, providerInfo(), nil)
}
