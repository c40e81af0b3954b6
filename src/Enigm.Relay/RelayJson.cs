using System.Text.Json;
using System.Text.Json.Serialization;

namespace Enigm.Relay;

/// <summary>Source-generated JSON for every wire shape (camelCase, no reflection, null members omitted).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, MaxDepth = 16)]
[JsonSerializable(typeof(ChallengeRequest))]
[JsonSerializable(typeof(ChallengeResponse))]
[JsonSerializable(typeof(TokenRequest))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(CreateAccountRequest))]
[JsonSerializable(typeof(AppendLogRequest))]
[JsonSerializable(typeof(DeviceLogResponse))]
[JsonSerializable(typeof(UploadPrekeysRequest))]
[JsonSerializable(typeof(PrekeyCountResponse))]
[JsonSerializable(typeof(BundleResponse))]
[JsonSerializable(typeof(SubmitRequest))]
[JsonSerializable(typeof(OutgoingMessage))]
[JsonSerializable(typeof(SubmitResponse))]
[JsonSerializable(typeof(DevicesMismatch))]
[JsonSerializable(typeof(MultiRecipientSubmitRequest))]
[JsonSerializable(typeof(MailboxResponse))]
[JsonSerializable(typeof(AckRequest))]
[JsonSerializable(typeof(StreamFrame))]
[JsonSerializable(typeof(StreamClientFrame))]
[JsonSerializable(typeof(StreamSubmitReply))]
[JsonSerializable(typeof(DeliveryTokenRequest))]
[JsonSerializable(typeof(TreeHeadResponse))]
[JsonSerializable(typeof(InclusionResponse))]
[JsonSerializable(typeof(ConsistencyResponse))]
[JsonSerializable(typeof(RendezvousPost))]
[JsonSerializable(typeof(RendezvousPostResponse))]
[JsonSerializable(typeof(RendezvousMessages))]
[JsonSerializable(typeof(AdminAccount))]
[JsonSerializable(typeof(AdminAccount[]))]
[JsonSerializable(typeof(AdminStats))]
[JsonSerializable(typeof(ProblemBody))]
public sealed partial class RelayJson : JsonSerializerContext;
