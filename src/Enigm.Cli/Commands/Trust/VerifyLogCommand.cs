using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Enigm.Cli.Output;
using Enigm.Crypto.Errors;
using Enigm.Trust.DeviceLog;
using Enigm.Trust.Errors;

namespace Enigm.Cli.Commands.Trust;

/// <summary>
/// <c>enigm trust verify-log FILE [--last-seen SEQ:HASH]</c>: replays a device log file from genesis and
/// prints the trusted devices, or the first bad entry with its typed error (whose exit code it returns).
/// </summary>
public static class VerifyLogCommand
{
    public static Command Build(CliContext cli)
    {
        var file = new Argument<string>("file") { Description = "Device log file (CBOR, as written by DeviceLogFile)." };
        var lastSeen = new Option<string?>("--last-seen") { Description = "Head seen before, as SEQ:SHA256HEX; a shorter log is a rollback, a different entry there a fork." };
        return cli.Command(
            "verify-log",
            "Replay a device log from genesis; print the trusted devices (id, name, key fingerprint, since which entry) or the first bad entry and its error.",
            parse => Run(cli.Narrator(parse), parse.GetValue(file)!, ParseHead(parse.GetValue(lastSeen))),
            file,
            lastSeen);
    }

    private static int Run(Narrator n, string path, DeviceLogHead? lastSeen)
    {
        var result = DeviceLogVerifier.CheckFile(ReadBounded(path), lastSeen);
        if (!result.Verified)
        {
            var e = result.Error;
            // A file that does not decode has no bad entry; otherwise the verifier names the entry it stopped at.
            n.Verdict(false, result.FailedAt is null ? $"device log file rejected: {e.Code}: {e.Message}" : $"device log rejected at entry {result.FailedAt}: {e.Code}: {e.Message}");
            n.WriteJson(new JsonObject
            {
                ["ok"] = false,
                ["entries"] = result.EntryCount,
                ["firstBadEntry"] = result.FailedAt,
                ["error"] = e.Code,
                ["message"] = e.Message,
                ["exitCode"] = ExitCodes.For(e),
            });
            return ExitCodes.For(e);
        }

        var set = result.Trusted;
        n.Verdict(true, $"device log verifies: {result.EntryCount} entries, account {set.Account.Hex}, head {set.Head}");
        n.Table(["device", "name", "key", "added", "key since"], set.Devices.Select(d => (IReadOnlyList<string>)[d.Id, d.Name, d.KeyFingerprint, Num(d.AddedAt), Num(d.KeySince)]));
        foreach (var r in set.RevokedDevices) n.Line($"  revoked {r.Id} ({r.Name}) at entry {r.RevokedAt} by {r.RevokedBy}: {r.Reason}");
        foreach (var r in set.RecoveryKeys) n.Line($"  recovery key {r.Id} ({r.Label}) key {r.KeyFingerprint} since entry {r.AddedAt}");
        foreach (var r in set.RevokedRecoveryKeys) n.Line($"  revoked recovery key {r.Id} ({r.Label}) at entry {r.RevokedAt}: {r.Reason}");
        n.WriteJson(new JsonObject
        {
            ["ok"] = true,
            ["entries"] = result.EntryCount,
            ["account"] = set.Account.Hex,
            ["head"] = new JsonObject { ["sequence"] = set.Head.Sequence, ["hash"] = set.Head.HashHex },
            ["suite"] = set.SuiteId,
            ["devices"] = new JsonArray([.. set.Devices.Select(d => (JsonNode)new JsonObject
            {
                ["id"] = d.Id,
                ["name"] = d.Name,
                ["keyFingerprint"] = d.KeyFingerprint,
                ["addedAt"] = d.AddedAt,
                ["keySince"] = d.KeySince,
            })]),
            ["revokedDevices"] = new JsonArray([.. set.RevokedDevices.Select(r => (JsonNode)new JsonObject
            {
                ["id"] = r.Id,
                ["name"] = r.Name,
                ["keyFingerprint"] = r.KeyFingerprint,
                ["revokedAt"] = r.RevokedAt,
                ["revokedBy"] = r.RevokedBy,
                ["reason"] = r.Reason,
            })]),
            ["recoveryKeys"] = new JsonArray([.. set.RecoveryKeys.Select(r => (JsonNode)new JsonObject
            {
                ["id"] = r.Id,
                ["label"] = r.Label,
                ["keyFingerprint"] = r.KeyFingerprint,
                ["addedAt"] = r.AddedAt,
            })]),
            ["revokedRecoveryKeys"] = new JsonArray([.. set.RevokedRecoveryKeys.Select(r => (JsonNode)new JsonObject
            {
                ["id"] = r.Id,
                ["label"] = r.Label,
                ["keyFingerprint"] = r.KeyFingerprint,
                ["addedAt"] = r.AddedAt,
                ["revokedAt"] = r.RevokedAt,
                ["reason"] = r.Reason,
            })]),
        });
        return ExitCodes.Ok;
    }

    private static string Num(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static DeviceLogHead? ParseHead(string? text)
    {
        if (text is null) return null;
        var parts = text.Split(':');
        if (parts.Length != 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            || parts[1].Length != DeviceLogHead.HashLength * 2 || !parts[1].All(Uri.IsHexDigit))
            throw new UsageException($"--last-seen takes SEQ:HASH (a sequence number and 64 hex digits), not '{text}'");
        return new DeviceLogHead(sequence, Convert.FromHexString(parts[1]));
    }

    private static byte[] ReadBounded(string path) =>
        InputFile.Read(path, DeviceLogFile.MaxFileBytes(DeviceLogLimits.Default), p => new DeviceLogTooLargeException(0, $"{p} is larger than any device log this verifier accepts"));
}
