//! The fields of kube-apiserver 1.33's internal pod template types, in their Go order, as
//! `%#v` prints them (see immutable_go.rs).

/// How one field prints.
pub(super) enum K {
    Str,
    Int,
    Bool,
    /// A pointer of this Go type: `(*T)(nil)` or `(*T)(0xc...)`.
    Ptr(&'static str),
    Strings,
    StrMap,
    /// `core.ResourceList`: resource name to quantity.
    Resources,
    Time,
    TimePtr,
    Slice(&'static str, &'static [F]),
    Struct(&'static str, &'static [F]),
}

/// A field: Go name, JSON name (empty for an embedded struct, which reads the same object),
/// how it prints.
pub(super) struct F(pub &'static str, pub &'static str, pub K);

const OWNER_REF: &[F] = &[
    F("APIVersion", "apiVersion", K::Str),
    F("Kind", "kind", K::Str),
    F("Name", "name", K::Str),
    F("UID", "uid", K::Str),
    F("Controller", "controller", K::Ptr("bool")),
    F("BlockOwnerDeletion", "blockOwnerDeletion", K::Ptr("bool")),
];

const MANAGED: &[F] = &[
    F("Manager", "manager", K::Str),
    F("Operation", "operation", K::Str),
    F("APIVersion", "apiVersion", K::Str),
    F("Time", "time", K::TimePtr),
    F("FieldsType", "fieldsType", K::Str),
    F("FieldsV1", "fieldsV1", K::Ptr("v1.FieldsV1")),
    F("Subresource", "subresource", K::Str),
];

const OBJECT_META: &[F] = &[
    F("Name", "name", K::Str),
    F("GenerateName", "generateName", K::Str),
    F("Namespace", "namespace", K::Str),
    F("SelfLink", "selfLink", K::Str),
    F("UID", "uid", K::Str),
    F("ResourceVersion", "resourceVersion", K::Str),
    F("Generation", "generation", K::Int),
    F("CreationTimestamp", "creationTimestamp", K::Time),
    F("DeletionTimestamp", "deletionTimestamp", K::TimePtr),
    F(
        "DeletionGracePeriodSeconds",
        "deletionGracePeriodSeconds",
        K::Ptr("int64"),
    ),
    F("Labels", "labels", K::StrMap),
    F("Annotations", "annotations", K::StrMap),
    F(
        "OwnerReferences",
        "ownerReferences",
        K::Slice("v1.OwnerReference", OWNER_REF),
    ),
    F("Finalizers", "finalizers", K::Strings),
    F(
        "ManagedFields",
        "managedFields",
        K::Slice("v1.ManagedFieldsEntry", MANAGED),
    ),
];

const PORT: &[F] = &[
    F("Name", "name", K::Str),
    F("HostPort", "hostPort", K::Int),
    F("ContainerPort", "containerPort", K::Int),
    F("Protocol", "protocol", K::Str),
    F("HostIP", "hostIP", K::Str),
];

const ENV_FROM: &[F] = &[
    F("Prefix", "prefix", K::Str),
    F(
        "ConfigMapRef",
        "configMapRef",
        K::Ptr("core.ConfigMapEnvSource"),
    ),
    F("SecretRef", "secretRef", K::Ptr("core.SecretEnvSource")),
];

const ENV: &[F] = &[
    F("Name", "name", K::Str),
    F("Value", "value", K::Str),
    F("ValueFrom", "valueFrom", K::Ptr("core.EnvVarSource")),
];

const CLAIM: &[F] = &[F("Name", "name", K::Str), F("Request", "request", K::Str)];

const RESOURCES: &[F] = &[
    F("Limits", "limits", K::Resources),
    F("Requests", "requests", K::Resources),
    F("Claims", "claims", K::Slice("core.ResourceClaim", CLAIM)),
];

const RESIZE: &[F] = &[
    F("ResourceName", "resourceName", K::Str),
    F("RestartPolicy", "restartPolicy", K::Str),
];

const MOUNT: &[F] = &[
    F("Name", "name", K::Str),
    F("ReadOnly", "readOnly", K::Bool),
    F(
        "RecursiveReadOnly",
        "recursiveReadOnly",
        K::Ptr("core.RecursiveReadOnlyMode"),
    ),
    F("MountPath", "mountPath", K::Str),
    F("SubPath", "subPath", K::Str),
    F(
        "MountPropagation",
        "mountPropagation",
        K::Ptr("core.MountPropagationMode"),
    ),
    F("SubPathExpr", "subPathExpr", K::Str),
];

const DEVICE: &[F] = &[
    F("Name", "name", K::Str),
    F("DevicePath", "devicePath", K::Str),
];

const CONTAINER: &[F] = &[
    F("Name", "name", K::Str),
    F("Image", "image", K::Str),
    F("Command", "command", K::Strings),
    F("Args", "args", K::Strings),
    F("WorkingDir", "workingDir", K::Str),
    F("Ports", "ports", K::Slice("core.ContainerPort", PORT)),
    F(
        "EnvFrom",
        "envFrom",
        K::Slice("core.EnvFromSource", ENV_FROM),
    ),
    F("Env", "env", K::Slice("core.EnvVar", ENV)),
    F(
        "Resources",
        "resources",
        K::Struct("core.ResourceRequirements", RESOURCES),
    ),
    F(
        "ResizePolicy",
        "resizePolicy",
        K::Slice("core.ContainerResizePolicy", RESIZE),
    ),
    F(
        "RestartPolicy",
        "restartPolicy",
        K::Ptr("core.ContainerRestartPolicy"),
    ),
    F(
        "VolumeMounts",
        "volumeMounts",
        K::Slice("core.VolumeMount", MOUNT),
    ),
    F(
        "VolumeDevices",
        "volumeDevices",
        K::Slice("core.VolumeDevice", DEVICE),
    ),
    F("LivenessProbe", "livenessProbe", K::Ptr("core.Probe")),
    F("ReadinessProbe", "readinessProbe", K::Ptr("core.Probe")),
    F("StartupProbe", "startupProbe", K::Ptr("core.Probe")),
    F("Lifecycle", "lifecycle", K::Ptr("core.Lifecycle")),
    F("TerminationMessagePath", "terminationMessagePath", K::Str),
    F(
        "TerminationMessagePolicy",
        "terminationMessagePolicy",
        K::Str,
    ),
    F("ImagePullPolicy", "imagePullPolicy", K::Str),
    F(
        "SecurityContext",
        "securityContext",
        K::Ptr("core.SecurityContext"),
    ),
    F("Stdin", "stdin", K::Bool),
    F("StdinOnce", "stdinOnce", K::Bool),
    F("TTY", "tty", K::Bool),
];

const VOLUME_SOURCE: &[F] = &[
    F("HostPath", "hostPath", K::Ptr("core.HostPathVolumeSource")),
    F("EmptyDir", "emptyDir", K::Ptr("core.EmptyDirVolumeSource")),
    F(
        "GCEPersistentDisk",
        "gcePersistentDisk",
        K::Ptr("core.GCEPersistentDiskVolumeSource"),
    ),
    F(
        "AWSElasticBlockStore",
        "awsElasticBlockStore",
        K::Ptr("core.AWSElasticBlockStoreVolumeSource"),
    ),
    F("GitRepo", "gitRepo", K::Ptr("core.GitRepoVolumeSource")),
    F("Secret", "secret", K::Ptr("core.SecretVolumeSource")),
    F("NFS", "nfs", K::Ptr("core.NFSVolumeSource")),
    F("ISCSI", "iscsi", K::Ptr("core.ISCSIVolumeSource")),
    F(
        "Glusterfs",
        "glusterfs",
        K::Ptr("core.GlusterfsVolumeSource"),
    ),
    F(
        "PersistentVolumeClaim",
        "persistentVolumeClaim",
        K::Ptr("core.PersistentVolumeClaimVolumeSource"),
    ),
    F("RBD", "rbd", K::Ptr("core.RBDVolumeSource")),
    F("Quobyte", "quobyte", K::Ptr("core.QuobyteVolumeSource")),
    F("FlexVolume", "flexVolume", K::Ptr("core.FlexVolumeSource")),
    F("Cinder", "cinder", K::Ptr("core.CinderVolumeSource")),
    F("CephFS", "cephfs", K::Ptr("core.CephFSVolumeSource")),
    F("Flocker", "flocker", K::Ptr("core.FlockerVolumeSource")),
    F(
        "DownwardAPI",
        "downwardAPI",
        K::Ptr("core.DownwardAPIVolumeSource"),
    ),
    F("FC", "fc", K::Ptr("core.FCVolumeSource")),
    F(
        "AzureFile",
        "azureFile",
        K::Ptr("core.AzureFileVolumeSource"),
    ),
    F(
        "ConfigMap",
        "configMap",
        K::Ptr("core.ConfigMapVolumeSource"),
    ),
    F(
        "VsphereVolume",
        "vsphereVolume",
        K::Ptr("core.VsphereVirtualDiskVolumeSource"),
    ),
    F(
        "AzureDisk",
        "azureDisk",
        K::Ptr("core.AzureDiskVolumeSource"),
    ),
    F(
        "PhotonPersistentDisk",
        "photonPersistentDisk",
        K::Ptr("core.PhotonPersistentDiskVolumeSource"),
    ),
    F(
        "Projected",
        "projected",
        K::Ptr("core.ProjectedVolumeSource"),
    ),
    F(
        "PortworxVolume",
        "portworxVolume",
        K::Ptr("core.PortworxVolumeSource"),
    ),
    F("ScaleIO", "scaleIO", K::Ptr("core.ScaleIOVolumeSource")),
    F(
        "StorageOS",
        "storageos",
        K::Ptr("core.StorageOSVolumeSource"),
    ),
    F("CSI", "csi", K::Ptr("core.CSIVolumeSource")),
    F(
        "Ephemeral",
        "ephemeral",
        K::Ptr("core.EphemeralVolumeSource"),
    ),
    F("Image", "image", K::Ptr("core.ImageVolumeSource")),
];

const VOLUME: &[F] = &[
    F("Name", "name", K::Str),
    F(
        "VolumeSource",
        "",
        K::Struct("core.VolumeSource", VOLUME_SOURCE),
    ),
];

const NAME_ONLY: &[F] = &[F("Name", "name", K::Str)];

const TOLERATION: &[F] = &[
    F("Key", "key", K::Str),
    F("Operator", "operator", K::Str),
    F("Value", "value", K::Str),
    F("Effect", "effect", K::Str),
    F("TolerationSeconds", "tolerationSeconds", K::Ptr("int64")),
];

const HOST_ALIAS: &[F] = &[
    F("IP", "ip", K::Str),
    F("Hostnames", "hostnames", K::Strings),
];

const READINESS_GATE: &[F] = &[F("ConditionType", "conditionType", K::Str)];

const SPREAD: &[F] = &[
    F("MaxSkew", "maxSkew", K::Int),
    F("TopologyKey", "topologyKey", K::Str),
    F("WhenUnsatisfiable", "whenUnsatisfiable", K::Str),
    F("LabelSelector", "labelSelector", K::Ptr("v1.LabelSelector")),
    F("MinDomains", "minDomains", K::Ptr("int32")),
    F(
        "NodeAffinityPolicy",
        "nodeAffinityPolicy",
        K::Ptr("core.NodeInclusionPolicy"),
    ),
    F(
        "NodeTaintsPolicy",
        "nodeTaintsPolicy",
        K::Ptr("core.NodeInclusionPolicy"),
    ),
    F("MatchLabelKeys", "matchLabelKeys", K::Strings),
];

const POD_CLAIM: &[F] = &[
    F("Name", "name", K::Str),
    F("ResourceClaimName", "resourceClaimName", K::Ptr("string")),
    F(
        "ResourceClaimTemplateName",
        "resourceClaimTemplateName",
        K::Ptr("string"),
    ),
];

const EPHEMERAL: &[F] = &[
    F(
        "EphemeralContainerCommon",
        "",
        K::Struct("core.EphemeralContainerCommon", CONTAINER),
    ),
    F("TargetContainerName", "targetContainerName", K::Str),
];

const POD_SPEC: &[F] = &[
    F("Volumes", "volumes", K::Slice("core.Volume", VOLUME)),
    F(
        "InitContainers",
        "initContainers",
        K::Slice("core.Container", CONTAINER),
    ),
    F(
        "Containers",
        "containers",
        K::Slice("core.Container", CONTAINER),
    ),
    F(
        "EphemeralContainers",
        "ephemeralContainers",
        K::Slice("core.EphemeralContainer", EPHEMERAL),
    ),
    F("RestartPolicy", "restartPolicy", K::Str),
    F(
        "TerminationGracePeriodSeconds",
        "terminationGracePeriodSeconds",
        K::Ptr("int64"),
    ),
    F(
        "ActiveDeadlineSeconds",
        "activeDeadlineSeconds",
        K::Ptr("int64"),
    ),
    F("DNSPolicy", "dnsPolicy", K::Str),
    F("NodeSelector", "nodeSelector", K::StrMap),
    F("ServiceAccountName", "serviceAccountName", K::Str),
    F(
        "AutomountServiceAccountToken",
        "automountServiceAccountToken",
        K::Ptr("bool"),
    ),
    F("NodeName", "nodeName", K::Str),
    F(
        "SecurityContext",
        "securityContext",
        K::Ptr("core.PodSecurityContext"),
    ),
    F(
        "ImagePullSecrets",
        "imagePullSecrets",
        K::Slice("core.LocalObjectReference", NAME_ONLY),
    ),
    F("Hostname", "hostname", K::Str),
    F("Subdomain", "subdomain", K::Str),
    F("SetHostnameAsFQDN", "setHostnameAsFQDN", K::Ptr("bool")),
    F("Affinity", "affinity", K::Ptr("core.Affinity")),
    F("SchedulerName", "schedulerName", K::Str),
    F(
        "Tolerations",
        "tolerations",
        K::Slice("core.Toleration", TOLERATION),
    ),
    F(
        "HostAliases",
        "hostAliases",
        K::Slice("core.HostAlias", HOST_ALIAS),
    ),
    F("PriorityClassName", "priorityClassName", K::Str),
    F("Priority", "priority", K::Ptr("int32")),
    F(
        "PreemptionPolicy",
        "preemptionPolicy",
        K::Ptr("core.PreemptionPolicy"),
    ),
    F("DNSConfig", "dnsConfig", K::Ptr("core.PodDNSConfig")),
    F(
        "ReadinessGates",
        "readinessGates",
        K::Slice("core.PodReadinessGate", READINESS_GATE),
    ),
    F("RuntimeClassName", "runtimeClassName", K::Ptr("string")),
    F("Overhead", "overhead", K::Resources),
    F("EnableServiceLinks", "enableServiceLinks", K::Ptr("bool")),
    F(
        "TopologySpreadConstraints",
        "topologySpreadConstraints",
        K::Slice("core.TopologySpreadConstraint", SPREAD),
    ),
    F("OS", "os", K::Ptr("core.PodOS")),
    F(
        "SchedulingGates",
        "schedulingGates",
        K::Slice("core.PodSchedulingGate", NAME_ONLY),
    ),
    F(
        "ResourceClaims",
        "resourceClaims",
        K::Slice("core.PodResourceClaim", POD_CLAIM),
    ),
    F(
        "Resources",
        "resources",
        K::Ptr("core.ResourceRequirements"),
    ),
];

pub(super) const TEMPLATE: &[F] = &[
    F(
        "ObjectMeta",
        "metadata",
        K::Struct("v1.ObjectMeta", OBJECT_META),
    ),
    F("Spec", "spec", K::Struct("core.PodSpec", POD_SPEC)),
];
