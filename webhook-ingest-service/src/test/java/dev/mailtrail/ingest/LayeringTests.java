package dev.mailtrail.ingest;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The ingest's packages depend one way (docs/design.md, "Layering"): the two edges (signed webhooks, our tracking
 * hits) never on each other, both on what a client is ({@code client}) and on the plumbing, the plumbing on nothing.
 */
@AnalyzeClasses(packages = "dev.mailtrail.ingest", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTests {

    @ArchTest
    static final ArchRule packagesAreFreeOfCycles =
            slices().matching("dev.mailtrail.ingest.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule dependenciesRunOneWay = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("Webhook")
            .definedBy("..ingest.webhook..")
            .layer("Tracking")
            .definedBy("..ingest.tracking..")
            .layer("Bench")
            .definedBy("..ingest.bench..")
            .layer("Warmup")
            .definedBy("..ingest.warmup..")
            .layer("Normalize")
            .definedBy("..ingest.normalize..")
            .layer("Client")
            .definedBy("..ingest.client..")
            .layer("Plumbing")
            .definedBy("..ingest.publish..", "..ingest.verify..", "..ingest.proxy..", "..ingest.web..")
            .whereLayer("Webhook")
            .mayNotBeAccessedByAnyLayer()
            .whereLayer("Tracking")
            .mayNotBeAccessedByAnyLayer()
            .whereLayer("Bench")
            .mayNotBeAccessedByAnyLayer()
            .whereLayer("Webhook")
            .mayOnlyAccessLayers("Normalize", "Plumbing")
            .whereLayer("Tracking")
            .mayOnlyAccessLayers("Client", "Plumbing")
            .whereLayer("Bench")
            .mayNotAccessAnyLayer()
            // the warm-up runs the webhook edge's and the tracking edge's building blocks, never the edges themselves
            .whereLayer("Warmup")
            .mayNotBeAccessedByAnyLayer()
            .whereLayer("Warmup")
            .mayOnlyAccessLayers("Normalize", "Client", "Plumbing")
            .whereLayer("Normalize")
            .mayOnlyAccessLayers("Client", "Plumbing")
            .whereLayer("Client")
            .mayOnlyAccessLayers("Plumbing")
            .whereLayer("Plumbing")
            .mayNotAccessAnyLayer();
}
