package dev.mailtrail.send;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The send-service's packages depend one way (docs/design.md, "Layering"): the HTTP and Kafka edges (accept, query,
 * ui) on the capabilities, the projection on nothing but the suppression list, the outbox and the plumbing, the
 * suppression list on the outbox and the plumbing, the plumbing on nothing.
 */
@AnalyzeClasses(packages = "dev.mailtrail.send", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTests {

    @ArchTest
    static final ArchRule packagesAreFreeOfCycles =
            slices().matching("dev.mailtrail.send.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule dependenciesRunOneWay = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("Accept")
            .definedBy("..send.accept..")
            .layer("Query")
            .definedBy("..send.query..")
            .layer("Ui")
            .definedBy("..send.ui..")
            .layer("Replies")
            .definedBy("..send.replies..")
            .layer("Privacy")
            .definedBy("..send.privacy..")
            .layer("Sending")
            .definedBy("..send.sending..")
            .layer("Projection")
            .definedBy("..send.projection..")
            .layer("Suppression")
            .definedBy("..send.suppression..")
            .layer("Outbox")
            .definedBy("..send.outbox..")
            .layer("Reconcile")
            .definedBy("..send.reconcile..")
            .layer("Providers")
            .definedBy("..send.resend..", "..send.tracking..")
            // schedule (a recurring task's timing) is plumbing too: any capability may use it, it uses none
            .layer("Plumbing")
            .definedBy("..send.web..", "..send.auth..", "..send.kafka..", "..send.db..", "..send.schedule..")
            .whereLayer("Accept")
            .mayNotBeAccessedByAnyLayer()
            .whereLayer("Query")
            .mayNotBeAccessedByAnyLayer()
            .whereLayer("Ui")
            .mayNotBeAccessedByAnyLayer()
            .whereLayer("Query")
            .mayOnlyAccessLayers("Projection", "Suppression", "Plumbing")
            // the reconciler talks to Resend and reads the projection's table (SQL only): nothing depends on it
            .whereLayer("Reconcile")
            .mayNotBeAccessedByAnyLayer()
            .whereLayer("Reconcile")
            .mayOnlyAccessLayers("Providers", "Plumbing")
            // the reply matcher reads the projection's kept Message-IDs, asks Resend, writes facts through the outbox
            .whereLayer("Replies")
            .mayNotBeAccessedByAnyLayer()
            .whereLayer("Replies")
            .mayOnlyAccessLayers("Projection", "Outbox", "Providers", "Plumbing")
            // an edge (erase, consent) and a sweep over the projection's stores: nothing depends on it; it erases
            // from the suppression list too (privacy -> suppression, never the other way)
            .whereLayer("Privacy")
            .mayNotBeAccessedByAnyLayer()
            .whereLayer("Privacy")
            .mayOnlyAccessLayers("Projection", "Suppression", "Outbox", "Plumbing")
            .whereLayer("Sending")
            .mayOnlyAccessLayers("Suppression", "Outbox", "Providers", "Plumbing")
            .whereLayer("Projection")
            .mayOnlyAccessLayers("Suppression", "Outbox", "Plumbing")
            // the list is read by the edges and the sender and written by the projection, never the other way
            .whereLayer("Suppression")
            .mayOnlyAccessLayers("Outbox", "Plumbing")
            .whereLayer("Outbox")
            .mayOnlyAccessLayers("Plumbing")
            .whereLayer("Providers")
            .mayNotAccessAnyLayer()
            .whereLayer("Plumbing")
            .mayNotAccessAnyLayer();
}
