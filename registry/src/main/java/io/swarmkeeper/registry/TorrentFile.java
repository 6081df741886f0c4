package io.swarmkeeper.registry;

import io.swarmkeeper.swarm.Bencode;
import io.swarmkeeper.swarm.Bencode.BencodeException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A .torrent file read as BEP 3 (v1), BEP 52 (v2) or both (hybrid) define it: its info hashes are
 * the SHA-1 (v1) and SHA-256 (v2) of the exact bytes of its {@code info} dictionary, as clients
 * compute them. Construction validates the file; {@link InvalidTorrentException} names what is
 * wrong.
 */
public final class TorrentFile {
  /** Bytes of one v1 piece hash (SHA-1). */
  public static final int V1_PIECE_HASH = 20;

  /** Bytes of one v2 piece hash (SHA-256, a leaf of the file's merkle tree at piece size). */
  public static final int V2_PIECE_HASH = 32;

  /** BEP 52: the smallest piece size of a v2 torrent. */
  static final long V2_MIN_PIECE_LENGTH = 16 * 1024;

  private final byte[] bytes;
  private final byte[] infoHashV1;
  private final byte[] infoHashV2;
  private final String name;
  private final long pieceLength;
  private final long totalSize;
  private final int fileCount;
  private final byte[] pieceHashes;
  private final int pieceHashBytes;

  private TorrentFile(
      byte[] bytes,
      byte[] infoHashV1,
      byte[] infoHashV2,
      String name,
      long pieceLength,
      long totalSize,
      int fileCount,
      byte[] pieceHashes,
      int pieceHashBytes) {
    this.bytes = bytes;
    this.infoHashV1 = infoHashV1;
    this.infoHashV2 = infoHashV2;
    this.name = name;
    this.pieceLength = pieceLength;
    this.totalSize = totalSize;
    this.fileCount = fileCount;
    this.pieceHashes = pieceHashes;
    this.pieceHashBytes = pieceHashBytes;
  }

  /** Reads and checks a .torrent file; the array is kept, not copied. */
  public static TorrentFile parse(byte[] bytes) {
    Object top;
    int[] infoSpan;
    try {
      top = Bencode.decode(bytes);
      if (!(top instanceof Map)) {
        throw new InvalidTorrentException("a torrent is a bencoded dictionary");
      }
      infoSpan = Bencode.valueSpan(bytes, "info");
    } catch (BencodeException e) {
      throw new InvalidTorrentException("not bencoded: " + e.getMessage());
    }
    Map<String, Object> root = dictionary(top, "the file");
    if (infoSpan == null) {
      throw new InvalidTorrentException("no info dictionary");
    }
    Map<String, Object> info = dictionary(root.get("info"), "info");
    String name = utf8(text(info, "name", "info.name"));
    if (name.isEmpty()) {
      throw new InvalidTorrentException("info.name is empty");
    }
    long pieceLength = number(info, "piece length", "info.piece length");
    if (pieceLength <= 0) {
      throw new InvalidTorrentException("info.piece length must be positive, got " + pieceLength);
    }
    boolean v1 = info.containsKey("pieces");
    Object metaVersion = info.get("meta version");
    boolean v2 = metaVersion != null;
    if (v2 && !Long.valueOf(2).equals(metaVersion)) {
      throw new InvalidTorrentException("info.meta version " + metaVersion + " is not 2");
    }
    if (!v1 && !v2) {
      throw new InvalidTorrentException(
          "info has neither pieces (v1) nor meta version 2 (v2): not a torrent");
    }
    byte[] infoBytes = Arrays.copyOfRange(bytes, infoSpan[0], infoSpan[1]);
    V2Files v2Files = v2 ? V2Files.read(root, info, pieceLength) : null;
    V1Files v1Files = v1 ? V1Files.read(info) : null;
    if (v1 && v2 && v1Files.content() != v2Files.size()) {
      throw new InvalidTorrentException(
          "hybrid torrent whose v1 files hold "
              + v1Files.content()
              + " bytes and v2 files "
              + v2Files.size());
    }
    byte[] pieces;
    int hashBytes;
    if (v1) {
      pieces = text(info, "pieces", "info.pieces");
      hashBytes = V1_PIECE_HASH;
      if (pieces.length % V1_PIECE_HASH != 0) {
        throw new InvalidTorrentException(
            "info.pieces holds " + pieces.length + " bytes, not a multiple of 20");
      }
      long expected = (v1Files.size() + pieceLength - 1) / pieceLength;
      if (pieces.length / V1_PIECE_HASH != expected) {
        throw new InvalidTorrentException(
            "info.pieces holds "
                + pieces.length / V1_PIECE_HASH
                + " hashes, but "
                + v1Files.size()
                + " bytes in pieces of "
                + pieceLength
                + " make "
                + expected);
      }
    } else {
      pieces = v2Files.pieceHashes();
      hashBytes = V2_PIECE_HASH;
    }
    return new TorrentFile(
        bytes,
        v1 ? digest("SHA-1", infoBytes) : null,
        v2 ? digest("SHA-256", infoBytes) : null,
        name,
        pieceLength,
        v2 ? v2Files.size() : v1Files.content(),
        v2 ? v2Files.count() : v1Files.count(),
        pieces,
        hashBytes);
  }

  /** The file as published. */
  public byte[] bytes() {
    return bytes;
  }

  /** SHA-1 of the info dictionary, or null for a v2-only torrent. */
  public byte[] infoHashV1() {
    return infoHashV1;
  }

  /** SHA-256 of the info dictionary, or null for a v1-only torrent. */
  public byte[] infoHashV2() {
    return infoHashV2;
  }

  /** The hash trackers key its swarm by: v1's, or BEP 52's first 20 bytes of v2's. */
  public byte[] swarmKey() {
    return swarmKey(infoHashV1, infoHashV2);
  }

  /** The swarm key of a torrent with these hashes (either may be null, not both). */
  static byte[] swarmKey(byte[] infoHashV1, byte[] infoHashV2) {
    return infoHashV1 != null ? infoHashV1 : Arrays.copyOf(infoHashV2, 20);
  }

  public String name() {
    return name;
  }

  public long pieceLength() {
    return pieceLength;
  }

  /** Bytes of content, without BEP 47 padding files. */
  public long totalSize() {
    return totalSize;
  }

  /** Files of content, without BEP 47 padding files. */
  public int fileCount() {
    return fileCount;
  }

  /** Pieces whose hashes the torrent carries: v1's when it has them, else v2's piece layers. */
  public int pieceCount() {
    return pieceHashes.length / pieceHashBytes;
  }

  /** Bytes of each piece hash: 20 (v1) or 32 (v2-only). */
  public int pieceHashBytes() {
    return pieceHashBytes;
  }

  /** The hash of piece {@code index}. */
  public byte[] pieceHash(int index) {
    if (index < 0 || index >= pieceCount()) {
      throw new IndexOutOfBoundsException("piece " + index + " of " + pieceCount());
    }
    return Arrays.copyOfRange(pieceHashes, index * pieceHashBytes, (index + 1) * pieceHashBytes);
  }

  /**
   * Files of a v1 torrent ({@code length}, or {@code files}): the bytes its pieces cover, the
   * content without BEP 47 padding files, and how many files of content.
   */
  private record V1Files(long size, long content, int count) {
    static V1Files read(Map<String, Object> info) {
      if (info.containsKey("length")) {
        long length = number(info, "length", "info.length");
        if (length < 0) {
          throw new InvalidTorrentException("info.length is negative");
        }
        return new V1Files(length, length, 1);
      }
      if (!(info.get("files") instanceof List<?> files) || files.isEmpty()) {
        throw new InvalidTorrentException("info has neither length nor a list of files");
      }
      long all = 0;
      long content = 0;
      int count = 0;
      for (int i = 0; i < files.size(); i++) {
        String where = "info.files[" + i + "]";
        Map<String, Object> file = dictionary(files.get(i), where);
        long length = number(file, "length", where + ".length");
        if (length < 0) {
          throw new InvalidTorrentException(where + ".length is negative");
        }
        if (!(file.get("path") instanceof List<?> path) || path.isEmpty()) {
          throw new InvalidTorrentException(where + ".path is not a list of names");
        }
        all += length;
        boolean padding =
            file.get("attr") instanceof byte[] attr
                && new String(attr, StandardCharsets.ISO_8859_1).indexOf('p') >= 0;
        if (!padding) {
          content += length;
          count++;
        }
      }
      return new V1Files(all, content, count);
    }
  }

  /** Files of a v2 torrent: its {@code file tree}, with the piece layers of the larger files. */
  private record V2Files(long size, int count, byte[] pieceHashes) {
    static V2Files read(Map<String, Object> root, Map<String, Object> info, long pieceLength) {
      if (pieceLength < V2_MIN_PIECE_LENGTH || Long.bitCount(pieceLength) != 1) {
        throw new InvalidTorrentException(
            "info.piece length of a v2 torrent must be a power of two of at least 16 KiB, got "
                + pieceLength);
      }
      Map<String, Object> tree = dictionary(info.get("file tree"), "info.file tree");
      Map<String, Object> layers =
          root.containsKey("piece layers")
              ? dictionary(root.get("piece layers"), "piece layers")
              : Map.of();
      V2Walk walk = new V2Walk(pieceLength, layers);
      walk.visit(tree, "info.file tree", 0);
      if (walk.count == 0) {
        throw new InvalidTorrentException("info.file tree holds no file");
      }
      return new V2Files(walk.size, walk.count, walk.hashes.toByteArray());
    }
  }

  /** Depth-first over a v2 file tree, in its (sorted) key order. */
  private static final class V2Walk {
    private final long pieceLength;
    private final Map<String, Object> layers;
    private final java.io.ByteArrayOutputStream hashes = new java.io.ByteArrayOutputStream();
    private long size;
    private int count;

    V2Walk(long pieceLength, Map<String, Object> layers) {
      this.pieceLength = pieceLength;
      this.layers = layers;
    }

    void visit(Map<String, Object> node, String where, int depth) {
      if (depth > 32) {
        throw new InvalidTorrentException(where + " is nested deeper than 32 directories");
      }
      for (Map.Entry<String, Object> e : node.entrySet()) {
        if (e.getKey().isEmpty()) {
          file(dictionary(e.getValue(), where), where);
        } else {
          visit(
              dictionary(e.getValue(), where + "/" + e.getKey()),
              where + "/" + e.getKey(),
              depth + 1);
        }
      }
    }

    private void file(Map<String, Object> file, String where) {
      long length = number(file, "length", where + ".length");
      if (length < 0) {
        throw new InvalidTorrentException(where + ".length is negative");
      }
      size += length;
      count++;
      if (length == 0) {
        return;
      }
      byte[] root = text(file, "pieces root", where + ".pieces root");
      if (root.length != V2_PIECE_HASH) {
        throw new InvalidTorrentException(where + ".pieces root is not 32 bytes");
      }
      if (length <= pieceLength) {
        hashes.writeBytes(root); // one piece: its hash is the root
        return;
      }
      Object layer = layers.get(new String(root, StandardCharsets.ISO_8859_1));
      long pieces = (length + pieceLength - 1) / pieceLength;
      if (!(layer instanceof byte[] l) || l.length != pieces * V2_PIECE_HASH) {
        throw new InvalidTorrentException(
            "piece layers has no layer of " + pieces + " hashes for " + where);
      }
      hashes.writeBytes(l);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> dictionary(Object value, String where) {
    if (!(value instanceof Map)) {
      throw new InvalidTorrentException(where + " is not a dictionary");
    }
    return (Map<String, Object>) value;
  }

  private static byte[] text(Map<String, Object> d, String key, String where) {
    if (!(d.get(key) instanceof byte[] b)) {
      throw new InvalidTorrentException(
          where + (d.containsKey(key) ? " is not a string" : " is missing"));
    }
    return b;
  }

  private static long number(Map<String, Object> d, String key, String where) {
    if (!(d.get(key) instanceof Long n)) {
      throw new InvalidTorrentException(
          where + (d.containsKey(key) ? " is not a number" : " is missing"));
    }
    return n;
  }

  private static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  private static byte[] digest(String algorithm, byte[] data) {
    try {
      return MessageDigest.getInstance(algorithm).digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is part of every JDK", e);
    }
  }
}
