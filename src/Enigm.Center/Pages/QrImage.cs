using QRCoder;

namespace Enigm.Center.Pages;

/// <summary>The safety-number QR code as PNG, drawn here (QRCoder) from the <c>enigm-sn1:</c> text: no external service.</summary>
public static class QrImage
{
    public static byte[] Png(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        return new PngByteQRCode(data).GetGraphic(6);
    }
}
