package org.xai4j.viz.figure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.Dimension;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xai4j.viz.io.PngWriter;

class TileGridTest {

    private static final Color WHITE = Color.WHITE;

    private static List<BufferedImage> tiles(int count, int size) {
        List<BufferedImage> tiles = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            tiles.add(Pixels.solid(size, size, 0x102030 + i));
        }
        return tiles;
    }

    @Test
    void sizesFollowColumnsTilesAndPadding() {
        TileGrid grid = TileGrid.builder().optColumns(4).optTileSize(32, 32).addAll(tiles(10, 16)).build();
        assertThat(grid.rows()).isEqualTo(3);
        // padding 8: width 8 + 4 * (32 + 8), height 8 + 3 * (32 + 8)
        assertThat(grid.size()).isEqualTo(new Dimension(168, 128));
        BufferedImage image = grid.render();
        assertThat(image.getWidth()).isEqualTo(168);
        assertThat(image.getHeight()).isEqualTo(128);
        assertThat(grid.tileBounds(5)).isEqualTo(new Rectangle(48, 48, 32, 32));
    }

    @Test
    void ninetyNeuronsInTenColumnsMakeNineRows() {
        TileGrid grid = TileGrid.builder().optColumns(10).optTileSize(20, 20).addAll(tiles(90, 7), "n%d").build();
        assertThat(grid.rows()).isEqualTo(9);
        assertThat(grid.columns()).isEqualTo(10);
        assertThat(grid.tiles().get(89).caption()).isEqualTo("n89");
    }

    @Test
    void defaultsToASquareGridOfEnlargedTiles() {
        TileGrid filters = TileGrid.builder().addAll(tiles(64, 7)).build();
        assertThat(filters.columns()).isEqualTo(8);
        assertThat(filters.rows()).isEqualTo(8);
        assertThat(filters.tileSize()).isEqualTo(new Dimension(70, 70)); // 7 * ceil(64 / 7)
        assertThat(TileGrid.builder().optColumns(10).addAll(tiles(3, 100)).build().columns()).isEqualTo(3);
    }

    @Test
    void drawsTilesFittedAndCentered() {
        BufferedImage wide = Pixels.solid(40, 20, 0xFF0000);
        TileGrid grid = TileGrid.builder().optTileSize(40, 40).add(wide).build();
        BufferedImage image = grid.render();
        Rectangle bounds = grid.tileBounds(0);
        assertThat(Pixels.rgbAt(image, bounds.x + 20, bounds.y + 20)).isEqualTo(0xFF0000);
        assertThat(Pixels.rgbAt(image, bounds.x + 20, bounds.y + 5)).isEqualTo(0xFFFFFF); // letterbox
    }

    @Test
    void captionsAndTitleDrawPixelsInTheirBands() {
        TileGrid grid = TileGrid.builder()
                .optTitle("Predictions")
                .optColumns(2)
                .optTileSize(64, 64)
                .add(Pixels.solid(64, 64, 0x336699), "tabby cat")
                .add(Pixels.solid(64, 64, 0x336699))
                .build();
        BufferedImage image = grid.render();
        Rectangle captioned = grid.captionBounds(0);
        assertThat(captioned.height).isPositive();
        assertThat(Pixels.countDifferent(image, captioned, WHITE)).isGreaterThan(20);
        assertThat(Pixels.countDifferent(image, grid.captionBounds(1), WHITE)).isZero();
        assertThat(Pixels.countDifferent(image, grid.titleBounds(), WHITE)).isGreaterThan(20);
        assertThat(grid.tileBounds(0).y).isGreaterThanOrEqualTo(grid.titleBounds().y + grid.titleBounds().height);
    }

    @Test
    void wideTitlesWidenTheCanvas() {
        TileGrid grid = TileGrid.builder().optTitle("A title much wider than one small tile").add(Pixels.solid(8, 8, 0))
                .optTileSize(8, 8).build();
        assertThat(grid.size().width).isGreaterThan(8 + 2 * 8);
        Rectangle tile = grid.tileBounds(0);
        assertThat(tile.x + tile.width / 2).isCloseTo(grid.size().width / 2, org.assertj.core.api.Assertions.within(1));
    }

    @Test
    void labelledImagesPairCaptionsWithImages() {
        List<BufferedImage> images = tiles(2, 8);
        TileGrid grid = TileGrid.builder().optColumns(2).add(images.get(0), "cat 0.93").add(images.get(1), "dog 0.71")
                .build();
        assertThat(grid.tiles()).extracting(Tile::caption).containsExactly("cat 0.93", "dog 0.71");
    }

    @Test
    void validatesArguments() {
        assertThatThrownBy(() -> TileGrid.builder().optColumns(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("columns must be positive, got 0");
        assertThatThrownBy(() -> TileGrid.builder().optTileSize(-1, 5)).hasMessageContaining("width=-1");
        assertThatThrownBy(() -> TileGrid.builder().build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one tile");
        assertThatThrownBy(() -> TileGrid.builder().add((BufferedImage) null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> TileGrid.builder().optTileSize(8, 8).optColumns(2).addAll(tiles(1, 8)).build().tileBounds(1))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void pngRoundTripKeepsSizeAndPixels(@TempDir Path dir) throws Exception {
        TileGrid grid = TileGrid.builder().optTitle("Filters").addAll(tiles(6, 9), "f%d").build();
        BufferedImage rendered = grid.render();
        Path file = dir.resolve("grid.png");
        PngWriter.write(rendered, file);
        BufferedImage decoded = ImageIO.read(file.toFile());
        assertThat(decoded.getWidth()).isEqualTo(grid.size().width);
        assertThat(decoded.getHeight()).isEqualTo(grid.size().height);
        Rectangle tile = grid.tileBounds(3);
        assertThat(Pixels.rgbAt(decoded, tile.x + 10, tile.y + 10)).isEqualTo(0x102033);
        assertThat(grid.toString()).contains("6 tiles", "Filters");
    }
}
