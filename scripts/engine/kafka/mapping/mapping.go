// Package mapping is the bridge's view of Mongey's Terraform provider under the @pulumi/kafka npm SDK's names,
// shared by the provider (../main.go) and the schema generator (../schema).
package mapping

import (
	kafka "github.com/Mongey/terraform-provider-kafka/kafka"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"
	shimv2 "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfshim/sdk-v2"
)

// ProviderInfo maps every Terraform resource and data source of the provider to the npm SDK's token
// (kafka:index/topic:Topic, kafka:index:getTopic, ...). Property names are the bridge's default camelCase of
// the Terraform names (bootstrap_servers -> bootstrapServers), which are the SDK's. upstream is the folder of
// the Terraform provider's module source, read for docs by the schema generator; the provider passes "".
func ProviderInfo(version, upstream string) tfbridge.ProviderInfo {
	return tfbridge.ProviderInfo{
		P:                shimv2.NewProvider(kafka.Provider()),
		Name:             "kafka",
		Version:          version,
		DisplayName:      "Kafka",
		Publisher:        "ConnectCluster (local build)",
		License:          "Apache-2.0",
		Repository:       "https://github.com/Mongey/terraform-provider-kafka",
		GitHubOrg:        "Mongey",
		UpstreamRepoPath: upstream,
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
