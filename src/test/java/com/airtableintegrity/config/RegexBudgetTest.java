package com.airtableintegrity.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A pattern rule's regex is priced before it is compiled: nested counted repetitions multiply. */
class RegexBudgetTest {

    @Test
    void literalsClassesAndEscapesCountOneEach() {
        assertThat(RegexBudget.steps("ab[c-z]\\d\\p{L}.")).isEqualTo(6);
    }

    @Test
    void aCountedRepetitionMultipliesWhatItFollows() {
        assertThat(RegexBudget.steps("a{3}b")).isEqualTo(4);
        assertThat(RegexBudget.steps("(ab){2,5}")).isEqualTo(10);
        assertThat(RegexBudget.steps("x{7,}")).isEqualTo(7);
    }

    @Test
    void nestedCountsMultiplyAndSaturateAboveTheLimit() {
        assertThat(RegexBudget.steps("((a{10}){10})")).isEqualTo(100);
        assertThat(RegexBudget.steps("((a{1000}){1000}){1000}")).isEqualTo(RegexBudget.MAX_STEPS + 1);
    }

    @Test
    void braceTextThatIsNotACountIsALiteral() {
        assertThat(RegexBudget.steps("a{x}")).isEqualTo(4);
        assertThat(RegexBudget.steps("[{1000}]{2}")).isEqualTo(2);
    }

    @Test
    void anEmailPatternWithLengthBoundsIsWellWithinTheBudget() {
        assertThat(RegexBudget.problem("^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,255}\\.[A-Za-z]{2,63}$")).isNull();
    }

    @Test
    void aPatternOverTheBudgetIsRefusedWithTheReason() {
        assertThat(RegexBudget.problem("(a{1000}){1000}")).isEqualTo("expands to more than 5000 steps (counted "
                + "repetitions multiply: {1000} inside {1000} is a million copies); use fewer or smaller counts, or + "
                + "and * instead");
    }

    @Test
    void aPatternLongerThanTheLimitIsRefusedWithItsLength() {
        assertThat(RegexBudget.problem("a".repeat(1_001))).isEqualTo("is 1001 characters long; at most 1000 are allowed");
    }
}
