package io.warpsentinel;

/** The finding state in the default embedded store (H2 under sentinel.state.dir). */
class EmbeddedFindingStateTest extends FindingStateTest {

    @Override
    String[] stateDatabase() {
        return new String[] {"jdbc:h2:file:" + stateDir.resolve("state").resolve("warp-sentinel").toAbsolutePath(), "", ""};
    }
}
