namespace Osv.Arch.X64.Acpi
{
    /// <summary>
    /// Finds an ACPI system description table by signature: RSDP -> XSDT (or RSDT) -> table, with
    /// the RSDP's and root table's checksums and lengths validated. The caller guarantees the tables
    /// are readable (the boot identity map covers them) and validates the table it asked for.
    /// </summary>
    public static unsafe class AcpiTables
    {
        public const int SdtHeaderSize = 36;

        /// <summary>The first table with <paramref name="signature"/> (four characters), or null.</summary>
        public static byte* Find(byte* rsdp, string signature)
        {
            if (rsdp == null || !SignatureIs(rsdp, "RSD PTR ") || !ChecksumIsZero(rsdp, 20))
                return null;
            byte revision = rsdp[15];
            byte* root;
            int entrySize;
            if (revision >= 2 && *(uint*)(rsdp + 20) >= 36 && ChecksumIsZero(rsdp, *(uint*)(rsdp + 20)) && *(ulong*)(rsdp + 24) != 0)
            {
                root = (byte*)*(ulong*)(rsdp + 24);
                entrySize = 8;
                if (!SignatureIs(root, "XSDT"))
                    return null;
            }
            else
            {
                root = (byte*)(ulong)*(uint*)(rsdp + 16);
                entrySize = 4;
                if (!SignatureIs(root, "RSDT"))
                    return null;
            }
            uint rootLength = *(uint*)(root + 4);
            if (rootLength < SdtHeaderSize || rootLength > 1 << 20 || !ChecksumIsZero(root, rootLength))
                return null;
            for (uint offset = SdtHeaderSize; offset + entrySize <= rootLength; offset += (uint)entrySize)
            {
                byte* sdt = entrySize == 8 ? (byte*)*(ulong*)(root + offset) : (byte*)(ulong)*(uint*)(root + offset);
                if (sdt != null && SignatureIs(sdt, signature))
                    return sdt;
            }
            return null;
        }

        public static bool SignatureIs(byte* data, string signature)
        {
            for (int i = 0; i < signature.Length; i++)
            {
                if (data[i] != (byte)signature[i])
                    return false;
            }
            return true;
        }

        public static bool ChecksumIsZero(byte* data, uint length)
        {
            byte sum = 0;
            for (uint i = 0; i < length; i++)
                sum += data[i];
            return sum == 0;
        }
    }
}
