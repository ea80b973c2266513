package dev.mailtrail.events;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameStartingWith;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.io.RandomAccessFile;
import java.net.URI;

/**
 * The wire contract stays a plain library (docs/design.md, "Layering"): both services, the simulator and the bench
 * depend on it, so it brings no framework and does no I/O of its own.
 */
@AnalyzeClasses(packages = "dev.mailtrail.events", importOptions = ImportOption.DoNotIncludeTests.class)
class ContractPurityTests {

    @ArchTest
    static final ArchRule noFramework = noClasses()
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "org.springframework..",
                    "org.apache.kafka..",
                    "io.r2dbc..",
                    "reactor..",
                    "io.micrometer..",
                    "org.slf4j..",
                    "dev.mailtrail.send..",
                    "dev.mailtrail.ingest..")
            .because("events-schema is the Spring-free wire contract both services share");

    @ArchTest
    static final ArchRule noIo = noClasses()
            .should()
            .dependOnClassesThat(resideInAnyPackage(
                            "java.net..", "java.sql..", "java.nio.file..", "java.nio.channels..", "java.net.http..")
                    .and(not(equivalentTo(URI.class)))
                    .or(resideInAnyPackage("java.io").and(simpleNameStartingWith("File")))
                    .or(equivalentTo(RandomAccessFile.class)))
            .because("the contract reads and writes values, never files, sockets or databases (a URI is a value)");

    @ArchTest
    static final ArchRule packagesAreFreeOfCycles =
            slices().matching("dev.mailtrail.events.(*)..").should().beFreeOfCycles();
}
