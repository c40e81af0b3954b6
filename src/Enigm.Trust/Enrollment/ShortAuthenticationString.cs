using System.Globalization;

namespace Enigm.Trust.Enrollment;

/// <summary>One emoji of the SAS, with a name for screen readers and for reading aloud.</summary>
public sealed record SasEmoji(string Symbol, string Name);

/// <summary>
/// The short authentication string both devices show during enrollment: 6 decimal digits and 6 emoji.
/// The users compare either form and confirm on both devices. Public once shown.
/// </summary>
public sealed record ShortAuthenticationString(string Digits, IReadOnlyList<SasEmoji> Emoji)
{
    public const int EmojiCount = 6;

    /// <summary>
    /// Digits: the first 5 bytes, big-endian, mod 10⁶. Emoji: the top 6 bits of each of the next 6 bytes,
    /// indexing <see cref="EmojiTable"/> (the Matrix specification's 64-entry SAS emoji table, spec
    /// "Short Authentication String (SAS) verification", which was chosen to be distinguishable across languages).
    /// </summary>
    internal static ShortAuthenticationString FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 5 + EmojiCount) throw new ArgumentException("Need 11 bytes.", nameof(bytes));
        ulong value = 0;
        for (var i = 0; i < 5; i++) value = (value << 8) | bytes[i];
        var digits = (value % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
        var emoji = new SasEmoji[EmojiCount];
        for (var i = 0; i < EmojiCount; i++) emoji[i] = EmojiTable[bytes[5 + i] >> 2];
        return new ShortAuthenticationString(digits, emoji);
    }

    /// <summary>True when both strings show the same digits and emoji.</summary>
    public bool SameAs(ShortAuthenticationString other) =>
        other is not null && Digits == other.Digits && Emoji.SequenceEqual(other.Emoji);

    public override string ToString() => $"{Digits[..3]} {Digits[3..]}  {string.Join(' ', Emoji.Select(e => e.Symbol))}";

    internal static IReadOnlyList<SasEmoji> EmojiTable { get; } =
    [
        new("🐶", "Dog"), new("🐱", "Cat"), new("🦁", "Lion"), new("🐎", "Horse"),
        new("🦄", "Unicorn"), new("🐷", "Pig"), new("🐘", "Elephant"), new("🐰", "Rabbit"),
        new("🐼", "Panda"), new("🐓", "Rooster"), new("🐧", "Penguin"), new("🐢", "Turtle"),
        new("🐟", "Fish"), new("🐙", "Octopus"), new("🦋", "Butterfly"), new("🌷", "Flower"),
        new("🌳", "Tree"), new("🌵", "Cactus"), new("🍄", "Mushroom"), new("🌏", "Globe"),
        new("🌙", "Moon"), new("☁️", "Cloud"), new("🔥", "Fire"), new("🍌", "Banana"),
        new("🍎", "Apple"), new("🍓", "Strawberry"), new("🌽", "Corn"), new("🍕", "Pizza"),
        new("🎂", "Cake"), new("❤️", "Heart"), new("😀", "Smiley"), new("🤖", "Robot"),
        new("🎩", "Hat"), new("👓", "Glasses"), new("🔧", "Spanner"), new("🎅", "Santa"),
        new("👍", "Thumbs Up"), new("☂️", "Umbrella"), new("⌛", "Hourglass"), new("⏰", "Clock"),
        new("🎁", "Gift"), new("💡", "Light Bulb"), new("📕", "Book"), new("✏️", "Pencil"),
        new("📎", "Paperclip"), new("✂️", "Scissors"), new("🔒", "Lock"), new("🔑", "Key"),
        new("🔨", "Hammer"), new("☎️", "Telephone"), new("🏁", "Flag"), new("🚂", "Train"),
        new("🚲", "Bicycle"), new("✈️", "Aeroplane"), new("🚀", "Rocket"), new("🏆", "Trophy"),
        new("⚽", "Ball"), new("🎸", "Guitar"), new("🎺", "Trumpet"), new("🔔", "Bell"),
        new("⚓", "Anchor"), new("🎧", "Headphones"), new("📁", "Folder"), new("📌", "Pin"),
    ];
}
