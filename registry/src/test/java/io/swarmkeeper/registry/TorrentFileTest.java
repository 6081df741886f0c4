package io.swarmkeeper.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swarmkeeper.swarm.Bencode;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TorrentFileTest {
  @TempDir Path work;

  @Test
  void readsV1V2AndHybridTorrentsAsLibtorrentDoes() throws Exception {
    Libtorrent.assumeInstalled();
    // Three files, one of them smaller than a piece and one spanning several (16 KiB pieces).
    Path content = Libtorrent.folder(work, "content", 100_000, 5_000, 40_000);
    for (String mode : List.of("v1", "v2", "hybrid")) {
      Libtorrent.Made made = Libtorrent.make(mode, content, work);
      TorrentFile t = TorrentFile.parse(made.bytes());
      HexFormat hex = HexFormat.of();
      assertThat(t.infoHashV1() == null ? null : hex.formatHex(t.infoHashV1()))
          .as(mode + " v1 hash")
          .isEqualTo(made.v1());
      assertThat(t.infoHashV2() == null ? null : hex.formatHex(t.infoHashV2()))
          .as(mode + " v2 hash")
          .isEqualTo(made.v2());
      assertThat(t.name()).isEqualTo("content");
      assertThat(t.pieceLength()).isEqualTo(16384);
      assertThat(t.totalSize()).as(mode + " size").isEqualTo(145_000);
      assertThat(t.fileCount()).as(mode + " files").isEqualTo(3);
      if (!mode.equals("v2")) {
        assertThat(t.pieceCount()).as(mode + " pieces").isEqualTo(made.pieces());
        assertThat(t.pieceHashBytes()).isEqualTo(20);
      } else {
        // v2 pieces are per file: ceil(100000/16384) + 1 + ceil(40000/16384)
        assertThat(t.pieceCount()).isEqualTo(7 + 1 + 3);
        assertThat(t.pieceHashBytes()).isEqualTo(32);
      }
    }
  }

  @Test
  void aV1PieceHashIsTheSha1OfThatPiece() throws Exception {
    Libtorrent.assumeInstalled();
    Path content = Libtorrent.folder(work, "one", 50_000);
    TorrentFile t = TorrentFile.parse(Libtorrent.make("v1", content, work).bytes());
    byte[] data = java.nio.file.Files.readAllBytes(content.resolve("file0.bin"));
    for (int i = 0; i < t.pieceCount(); i++) {
      int from = i * 16384;
      byte[] piece = java.util.Arrays.copyOfRange(data, from, Math.min(data.length, from + 16384));
      assertThat(t.pieceHash(i))
          .isEqualTo(java.security.MessageDigest.getInstance("SHA-1").digest(piece));
    }
  }

  @Test
  void namesWhatIsWrongWithABadFile() {
    assertThatThrownBy(() -> TorrentFile.parse("not a torrent".getBytes()))
        .isInstanceOf(InvalidTorrentException.class)
        .hasMessageStartingWith("not bencoded");
    assertThatThrownBy(() -> TorrentFile.parse(Bencode.encode(List.of())))
        .hasMessage("a torrent is a bencoded dictionary");
    assertThatThrownBy(() -> TorrentFile.parse(Bencode.encode(Map.of("announce", "x".getBytes()))))
        .hasMessage("no info dictionary");
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("length", 40000L);
    info.put("name", "x".getBytes());
    info.put("piece length", 16384L);
    info.put("pieces", new byte[41]);
    assertThatThrownBy(() -> TorrentFile.parse(Bencode.encode(Map.of("info", info))))
        .hasMessage("info.pieces holds 41 bytes, not a multiple of 20");
    info.put("pieces", new byte[40]);
    assertThatThrownBy(() -> TorrentFile.parse(Bencode.encode(Map.of("info", info))))
        .hasMessage("info.pieces holds 2 hashes, but 40000 bytes in pieces of 16384 make 3");
    info.put("pieces", new byte[60]);
    info.remove("name");
    assertThatThrownBy(() -> TorrentFile.parse(Bencode.encode(Map.of("info", info))))
        .hasMessage("info.name is missing");
    info.put("name", "x".getBytes());
    TorrentFile ok = TorrentFile.parse(Bencode.encode(Map.of("info", info)));
    assertThat(ok.pieceCount()).isEqualTo(3);
    assertThat(ok.infoHashV2()).isNull();
    info.put("meta version", 3L);
    assertThatThrownBy(() -> TorrentFile.parse(Bencode.encode(Map.of("info", info))))
        .hasMessage("info.meta version 3 is not 2");
  }
}
