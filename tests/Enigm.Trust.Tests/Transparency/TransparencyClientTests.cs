using System.Security.Cryptography;
using Enigm.Trust.Accounts;
using Enigm.Trust.Errors;
using Enigm.Trust.Tests.Transparency.Support;
using Enigm.Trust.Transparency;
using Xunit;

namespace Enigm.Trust.Tests.Transparency;

public sealed class TransparencyClientTests
{
    private static readonly AccountFingerprint Alice = new(SHA256.HashData("alice genesis"u8));
    private static readonly AccountFingerprint Bob = new(SHA256.HashData("bob genesis"u8));

    private readonly TransparencyLog _log = new(new InMemoryTransparencyLogStore(), "kt-log");
    private readonly InMemoryTreeHeadStore _heads = new();

    private TransparencyClient Client => new(new TreeHeadVerifier("kt-log", LogKeys.Log.PublicKey), _heads);

    [Fact]
    public void Device_log_head_in_the_log_is_verified_and_its_tree_head_remembered()
    {
        var head = SHA256.HashData("alice entry 3"u8);
        AppendFillers(5);
        var index = _log.Append(new TransparencyLeaf(Alice, head, 3));
        AppendFillers(6);
        var sth = Sign();

        Client.VerifyDeviceLogHead(Alice, head, 3, _log.InclusionProof(index), sth);

        Assert.Equal(sth, _heads.Load("kt-log"));
    }

    [Fact]
    public void Device_log_head_that_differs_from_the_logged_one_is_rejected()
    {
        var index = _log.Append(new TransparencyLeaf(Alice, SHA256.HashData("alice entry 3"u8), 3));
        AppendFillers(4);
        var sth = Sign();
        var proof = _log.InclusionProof(index);

        // A server swapping Alice's head (or replaying an older one) cannot produce a matching proof.
        Assert.Throws<TransparencyProofException>(() => Client.VerifyDeviceLogHead(Alice, SHA256.HashData("swapped"u8), 3, proof, sth));
        Assert.Throws<TransparencyProofException>(() => Client.VerifyDeviceLogHead(Alice, SHA256.HashData("alice entry 3"u8), 2, proof, sth));
        Assert.Throws<TransparencyProofException>(() => Client.VerifyDeviceLogHead(Bob, SHA256.HashData("alice entry 3"u8), 3, proof, sth));
    }

    [Fact]
    public void Inclusion_proof_for_another_tree_size_is_rejected()
    {
        var index = _log.Append(new TransparencyLeaf(Alice, new byte[32], 1));
        AppendFillers(4);
        var proof = _log.InclusionProof(index, 3);

        Assert.Throws<TransparencyProofException>(() => Client.VerifyInclusion(new TransparencyLeaf(Alice, new byte[32], 1), proof, Sign()));
    }

    [Fact]
    public void Newer_tree_head_is_accepted_with_a_consistency_proof()
    {
        AppendFillers(7);
        var first = Sign();
        Client.Update(first);
        AppendFillers(10);
        var second = Sign();

        Client.Update(second, _log.ConsistencyProof(7));

        Assert.Equal(second, _heads.Load("kt-log"));
    }

    [Fact]
    public void Newer_tree_head_without_a_valid_consistency_proof_is_rejected()
    {
        AppendFillers(7);
        var first = Sign();
        Client.Update(first);
        AppendFillers(10);
        var second = Sign();
        var proof = _log.ConsistencyProof(7);
        var tampered = proof with { Path = [.. proof.Path.Select((p, i) => i == 0 ? SHA256.HashData(p) : p)] };

        Assert.Throws<TransparencyProofException>(() => Client.Update(second));
        Assert.Throws<TransparencyProofException>(() => Client.Update(second, tampered));
        Assert.Throws<TransparencyProofException>(() => Client.Update(second, _log.ConsistencyProof(6)));
        Assert.Equal(first, _heads.Load("kt-log"));
    }

    [Fact]
    public void Older_tree_head_is_rejected_as_a_rollback()
    {
        AppendFillers(4);
        var old = Sign();
        AppendFillers(4);
        Client.Update(Sign());

        Assert.Throws<TransparencyProofException>(() => Client.Update(old));
        Assert.Equal(8, _heads.Load("kt-log")!.TreeSize);
    }

    [Fact]
    public void Tree_head_from_a_forked_log_is_rejected()
    {
        AppendFillers(8);
        Client.Update(Sign());
        // The server rewrites history: a fork sharing the first 5 leaves, then growing, signed with the log key.
        var fork = new TransparencyLog(new InMemoryTransparencyLogStore(), "kt-log");
        for (var i = 0; i < 12; i++)
            fork.Append(new TransparencyLeaf(i == 5 ? Bob : Alice, SHA256.HashData([(byte)i]), (ulong)i));

        var forkHead = fork.SignTreeHead(LogKeys.Log, LogKeys.Now.AddMinutes(1));

        Assert.Throws<TransparencyProofException>(() => Client.Update(forkHead, fork.ConsistencyProof(8)));
        Assert.Equal(8, _heads.Load("kt-log")!.TreeSize);
    }

    [Fact]
    public void Second_root_for_the_remembered_size_is_a_split_view()
    {
        AppendFillers(8);
        Client.Update(Sign());
        var fork = new TransparencyLog(new InMemoryTransparencyLogStore(), "kt-log");
        for (var i = 0; i < 8; i++) fork.Append(new TransparencyLeaf(Bob, SHA256.HashData([(byte)i]), (ulong)i));

        Assert.Throws<SplitViewException>(() => Client.Update(fork.SignTreeHead(LogKeys.Log, LogKeys.Now)));
    }

    [Fact]
    public void Tree_head_not_signed_by_the_log_is_rejected_even_first()
    {
        AppendFillers(3);

        Assert.Throws<TransparencyProofException>(() => Client.Update(_log.SignTreeHead(LogKeys.Other, LogKeys.Now)));
        Assert.Null(_heads.Load("kt-log"));
    }

    private SignedTreeHead Sign() => _log.SignTreeHead(LogKeys.Log, LogKeys.Now.AddSeconds(_log.Size));

    private void AppendFillers(int count)
    {
        for (var i = 0; i < count; i++)
            _log.Append(new TransparencyLeaf(Bob, SHA256.HashData(BitConverter.GetBytes(_log.Size)), (ulong)_log.Size));
    }
}
