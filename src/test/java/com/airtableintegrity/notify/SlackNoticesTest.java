package com.airtableintegrity.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.airtableintegrity.support.NoticeReceiver;
import com.airtableintegrity.support.Records;
import com.airtableintegrity.support.TestSettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Slack channel end to end: a Slack incoming-webhook body to a real HTTP receiver. */
class SlackNoticesTest extends NotifyTestBase {
    private static final String HOOK = "/services/T0000/B0000/SLACKSECRETTOKEN";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HOSTILE = "<!channel> <a href=x>`boom`";

    @Test
    void aNewIssueIsPostedAsBlocksWithItsRecordValueEscapedSoItCanNeitherMentionNorLink() throws Exception {
        startNotifying("team", channel("slack", receiver.url(HOOK), null), List.of("new_issues"),
                p -> p.getConsole().setPublicUrl("https://integrity.example.com/"));
        String baseline = runner.runNow();
        breakRecord(1, HOSTILE);

        String runId = runner.runNow();
        awaitNoticeState(runId, "delivered");

        assertThat(doc(baseline)).containsEntry("status", "success").doesNotContainKey("notices");
        assertThat(receiver.received()).hasSize(1);
        NoticeReceiver.Received got = receiver.received().get(0);
        assertThat(got.path()).isEqualTo(HOOK);
        assertThat(got.body()).doesNotContain("<!channel>").doesNotContain("<a href").doesNotContain("`boom`");
        JsonNode body = JSON.readTree(got.body());
        assertThat(body.get("text").asText())
                .isEqualTo("Integrity run found 1 new issues on base " + TestSettings.BASE + " (warning)");
        JsonNode blocks = body.get("blocks");
        assertThat(blocks.get(0).at("/text/text").asText()).isEqualTo("WARNING · base " + TestSettings.BASE);
        String issues = blocks.get(2).at("/text/text").asText();
        assertThat(issues).isEqualTo("*New issues*\n• People / " + Records.id('P', 1)
                + " `Status` `allowed_values`: `Value '&lt;!channel&gt; &lt;a href=x&gt;'boom'' of 'Status' is not one "
                + "of [Active, Paused]`");
        assertThat(blocks.get(3).at("/elements/0/url").asText())
                .isEqualTo("https://integrity.example.com/runs/" + runId);
    }

    @Test
    void aFailedRunsErrorIsShownAsCodeWithItsMarkupEscaped() throws Exception {
        startNotifying("team", channel("slack", receiver.url(HOOK), null), List.of("error"), p -> { });
        airtable.fault(com.airtableintegrity.support.Fault.status(404).onTable("People"));

        String runId = runner.runNow();
        awaitNoticeState(runId, "delivered");

        String facts = JSON.readTree(receiver.received().get(0).body()).at("/blocks/1/text/text").asText();
        assertThat(facts).startsWith("*Integrity run failed on base " + TestSettings.BASE + " (error)*\nRun `"
                + runId + "`, trigger `manual`").endsWith("\nError: `Table 'People' not found in base " + TestSettings.BASE
                + " (HTTP 404 NOT_FOUND: Could not find what you are looking for)`");
    }
}
