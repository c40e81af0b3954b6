namespace Enigm.Messaging.Attachments;

/// <summary>Chooses how an attachment's ciphertext digest is computed (docs/attachments.md, "The pipeline").</summary>
internal static class CiphertextDigests
{
    /// <summary>
    /// Below this much ciphertext the second thread does not pay for its start and hand-overs
    /// (docs/benchmarks.md, messaging "Fourth pass": measured at 64 KiB – 1 MiB).
    /// </summary>
    public const long PipelineThreshold = 256 * 1024;

    /// <summary>
    /// The pipelined digest on a machine with more than one core for ciphertexts of at least
    /// <see cref="PipelineThreshold"/> bytes or of unknown length (its worker starts only once a slot is full, so a
    /// short stream of unknown length stays on the caller's thread); otherwise the inline one.
    /// </summary>
    public static ICiphertextDigest For(long? ciphertextLength, CancellationToken cancellation = default) =>
        Environment.ProcessorCount > 1 && (ciphertextLength is null || ciphertextLength >= PipelineThreshold)
            ? new PipelinedCiphertextDigest(cancellation)
            : new InlineCiphertextDigest();
}
