using System.Security.Cryptography;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;
using Enigm.Trust.Policy;

namespace Enigm.Server.Policy;

/// <summary>What an offline-signing document holds (docs/policy.md, "Offline signing").</summary>
public enum OrgDocumentKind
{
    UnsignedPolicy,
    SignedPolicy,
    UnsignedAction,
    SignedAction,
}

/// <summary>
/// One offline-signing document: a policy with its set-policy action (<see cref="Policy"/> set), or one device action.
/// Unsigned, each object is the signed envelope with an empty signature, so it carries exactly the canonical body the
/// organisation key will sign; signed, it is what the admin API takes (<c>PUT /admin/v1/org/policy</c>'s pair, or
/// <c>POST /admin/v1/org/actions</c>' action).
/// </summary>
public sealed record OrgDocument(OrgDocumentKind Kind, byte[]? Policy, byte[] Action)
{
    public bool IsSigned => Kind is OrgDocumentKind.SignedPolicy or OrgDocumentKind.SignedAction;

    public bool IsPolicy => Kind is OrgDocumentKind.UnsignedPolicy or OrgDocumentKind.SignedPolicy;
}

/// <summary>
/// The text form of policies and admin actions signed offline: the console builds the unsigned document, the admin signs
/// it where the organisation key lives (<c>enigm org sign</c>), and uploads the signed one to the console. PEM textual
/// encoding (RFC 7468, read and written by the BCL's <see cref="PemEncoding"/>); the label says which document it is.
/// Reading is size-capped before anything is decoded, and the content must be the CBOR the admin API takes, with
/// objects that decode (their signatures are checked by whoever verifies: the relay on upload, nobody on a draft).
/// </summary>
public static class OrgDocuments
{
    public const string UnsignedPolicyLabel = "ENIGM UNSIGNED ORG POLICY";
    public const string SignedPolicyLabel = "ENIGM SIGNED ORG POLICY";
    public const string UnsignedActionLabel = "ENIGM UNSIGNED ORG ACTION";
    public const string SignedActionLabel = "ENIGM SIGNED ORG ACTION";

    /// <summary>The longest document text: the base64 of the largest policy request, with its line breaks and labels.</summary>
    public const int MaxChars = (OrgAdminApi.MaxPolicyRequestBytes + 2) / 3 * 4 * 65 / 64 + 128;

    public static string Write(OrgDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var bytes = document.IsPolicy ? OrgAdminApi.PolicyRequest(document.Policy!, document.Action) : document.Action;
        return new string(PemEncoding.Write(LabelOf(document.Kind), bytes)) + "\n";
    }

    /// <summary>Parses a document; <see cref="MalformedInputException"/> for anything that is not one, within <see cref="MaxChars"/>.</summary>
    public static OrgDocument Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxChars) throw new MalformedInputException($"An organisation document is at most {MaxChars} characters.");
        if (!PemEncoding.TryFind(text, out var fields))
            throw new MalformedInputException("Not an organisation document: expected -----BEGIN ENIGM … ORG POLICY/ACTION----- text.");
        var kind = text[fields.Label] switch
        {
            UnsignedPolicyLabel => OrgDocumentKind.UnsignedPolicy,
            SignedPolicyLabel => OrgDocumentKind.SignedPolicy,
            UnsignedActionLabel => OrgDocumentKind.UnsignedAction,
            SignedActionLabel => OrgDocumentKind.SignedAction,
            var other => throw new MalformedInputException($"Not an organisation document: unknown label '{Printable(other)}'."),
        };
        var bytes = new byte[fields.DecodedDataLength];
        if (!Convert.TryFromBase64Chars(text.AsSpan()[fields.Base64Data], bytes, out var written) || written != bytes.Length)
            throw new MalformedInputException("The organisation document's base64 does not decode.");
        if (kind is OrgDocumentKind.UnsignedAction or OrgDocumentKind.SignedAction)
        {
            var action = AdminActionEncoding.ReadUnverified(bytes);
            if (action.Kind == AdminActionKind.SetPolicy) throw new MalformedInputException("An action document names a device; a policy travels as a policy document.");
            return new OrgDocument(kind, null, bytes);
        }

        var (policyBytes, actionBytes) = ReadPair(bytes);
        var policy = PolicyEncoding.ReadUnverified(policyBytes);
        var setPolicy = AdminActionEncoding.ReadUnverified(actionBytes);
        if (setPolicy.Kind != AdminActionKind.SetPolicy || setPolicy.PolicyVersion != policy.Version || setPolicy.Organisation != policy.Organisation)
            throw new MalformedInputException("A policy document's action must be a set-policy action naming the policy's organisation and version.");
        return new OrgDocument(kind, policyBytes, actionBytes);
    }

    /// <summary>The CBOR pair <c>[signed policy, signed set-policy action]</c> of <c>PUT /admin/v1/org/policy</c>.</summary>
    public static (byte[] Policy, byte[] Action) ReadPair(byte[] body) =>
        CanonicalCbor.Decode(body, OrgAdminApi.MaxPolicyRequestBytes, reader =>
        {
            CanonicalCbor.ReadArrayStart(reader, 2);
            var policy = CanonicalCbor.ReadBytes(reader, PolicyEncoding.MaxBytes);
            var action = CanonicalCbor.ReadBytes(reader, AdminActionEncoding.MaxBytes);
            reader.ReadEndArray();
            return (policy, action);
        });

    /// <summary>A file name for the document: what it is, and its version or device.</summary>
    public static string FileName(OrgDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var state = document.IsSigned ? "signed" : "unsigned";
        if (document.IsPolicy) return $"enigm-policy-v{PolicyEncoding.ReadUnverified(document.Policy!).Version}.{state}.pem";
        var action = AdminActionEncoding.ReadUnverified(document.Action);
        var verb = action.Kind switch
        {
            AdminActionKind.Restrict => "restrict",
            AdminActionKind.LiftRestriction => "lift",
            _ => "revoke",
        };
        return $"enigm-{verb}-{new string([.. action.Device.Take(16).Where(char.IsAsciiLetterOrDigit)])}.{state}.pem";
    }

    private static string LabelOf(OrgDocumentKind kind) => kind switch
    {
        OrgDocumentKind.UnsignedPolicy => UnsignedPolicyLabel,
        OrgDocumentKind.SignedPolicy => SignedPolicyLabel,
        OrgDocumentKind.UnsignedAction => UnsignedActionLabel,
        _ => SignedActionLabel,
    };

    private static string Printable(string text) => new([.. text.Take(40).Select(c => c is >= ' ' and <= '~' ? c : '?')]);
}
